"""The permission matrix: (URL name, URL kwargs, method, {role: expected status}).

Every app's tests/<app>/test_permissions.py defines MATRIX with these rows; test_url_coverage
fails when a view exists that no row covers.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass
class Row:
    url_name: str
    expected: dict[str, int]
    method: str = "GET"
    kwargs: Callable | dict = field(default_factory=dict)
    data: Callable | dict = field(default_factory=dict)

    def url(self, world) -> str:
        kwargs = self.kwargs(world) if callable(self.kwargs) else self.kwargs
        return reverse(self.url_name, kwargs=kwargs)

    def payload(self, world) -> dict:
        return self.data(world) if callable(self.data) else self.data

    def __str__(self):
        return f"{self.method} {self.url_name}"


def run_row(client_for, world, row: Row, role: str) -> int:
    client = client_for(role)
    url = row.url(world)
    if row.method == "GET":
        response = client.get(url)
    else:
        response = getattr(client, row.method.lower())(url, row.payload(world))
    return response.status_code


def cases(matrix: list[Row]):
    return [(row, role) for row in matrix for role in row.expected]


def case_id(value):
    return str(value)
