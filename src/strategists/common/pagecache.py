"""Public pages for anonymous visitors served from the cache, keyed on the data they show.

A view marked `@public_page("events", ...)` is rendered once per language, path and data version
and then served from the cache (`PAGE_CACHE_SECONDS`) to every visitor without a session: a
save or delete in one of the named apps bumps that app's version (post_save/post_delete/
m2m_changed, at once and again on commit), so the next visitor gets a fresh page; the short
time-to-live bounds what processes with separate caches disagree on. Each process also keeps
the pages it served and reads the versions at most once a second (its own changes at once), so
a page served again costs no round trip to Redis. When a page is out of
date, one request renders it again while the others get the page it replaces for that moment
(at most RENDER_SECONDS), rather than every thread rendering at once. Signed-in visitors,
visitors with a session or pending messages, htmx requests and responses that set a cookie are
never served from nor stored in the cache. A page that holds a CSRF token (a form) is stored
with a placeholder instead and each visitor gets their own token when it is served. Every
cached page carries an ETag (and Last-Modified when it holds no token) and answers 304.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

# Models whose rows change all the time and that no public page shows: their saves bump nothing.
IGNORED_MODELS = {
    "common.outgoingmail",
    "common.auditentry",
    "common.workerheartbeat",
    "common.joblock",
    "sessions.session",
    "admin.logentry",
}
# A sign-in saves `last_login` and nothing any public page shows.
IGNORED_FIELDS = frozenset({"last_login"})
CSRF_PLACEHOLDER = b"@@strategists-csrf-token@@"
_CSRF_CANDIDATE = re.compile(rb"[a-zA-Z0-9]{64}")
_VERSION_KEY = "pagecache:version:{}"
# Another process's change reaches this one's pages within this long (its own, at once).
VERSION_CHECK_SECONDS = 1.0
LOCAL_PAGES = 500
# The longest a visitor may get the page before a change while one request renders the new one.
RENDER_SECONDS = 10


def public_page(*apps: str, query: bool = True):
    """Marks a view as cacheable for anonymous visitors; `apps` are the apps whose data it shows
    (their changes make a new page). `query=False` caches only the address without a query."""

    def mark(view):
        view.public_page_apps = tuple(apps)
        view.public_page_query = query
        return view

    return mark


# --- versions -----------------------------------------------------------------------------------


def bump(app_label: str) -> None:
    """A new version for the app's pages: at once (this connection may render next, even inside
    its transaction) and again on commit, so a page rendered by another process before the
    commit, from the data before it, is not kept under the new version."""
    _set_version(app_label)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    # One callback per app and transaction, however many rows it saves.
    pending = any(
        getattr(callback, "keywords", {}).get("pagecache_app") == app_label
        for _, callback, _ in connection.run_on_commit
    )
    if not pending:
        transaction.on_commit(partial(_bump_on_commit, pagecache_app=app_label))


def _bump_on_commit(*, pagecache_app: str) -> None:
    _set_version(pagecache_app)


def _set_version(app_label: str) -> None:
    token = secrets.token_hex(4)
    cache.set(_VERSION_KEY.format(app_label), token, timeout=None)
    _local.versions[app_label] = token


class _Local:
    """This process's copy of the versions (read from the shared cache at most once every
    VERSION_CHECK_SECONDS, and at once for its own bumps) and of the pages it served last: a
    page served again costs no round trip to Redis."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self.versions: dict[str, str] = {}
        self.read_at = 0.0
        self.pages: dict[str, dict] = {}

    def current(self, apps: tuple[str, ...]) -> str:
        now = time.monotonic()
        if now - self.read_at > VERSION_CHECK_SECONDS or any(a not in self.versions for a in apps):
            names = {*self.versions, *apps}
            keys = {name: _VERSION_KEY.format(name) for name in names}
            found = cache.get_many(list(keys.values()))
            self.versions.update({name: str(found.get(key, "0")) for name, key in keys.items()})
            self.read_at = now
        return ".".join(self.versions[app] for app in apps)

    def keep(self, key: str, entry: dict) -> None:
        if len(self.pages) >= LOCAL_PAGES and key not in self.pages:
            self.pages.pop(next(iter(self.pages)), None)  # the oldest
        self.pages[key] = entry


_local = _Local()


def _changed(sender, **kwargs) -> None:
    meta = sender._meta
    if meta.label_lower in IGNORED_MODELS:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= IGNORED_FIELDS:
        return
    bump(meta.app_label)


def _m2m_changed(sender, instance, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        bump(instance._meta.app_label)
        if kwargs.get("model") is not None:
            bump(kwargs["model"]._meta.app_label)


def connect_signals() -> None:
    post_save.connect(_changed, dispatch_uid="pagecache_save")
    post_delete.connect(_changed, dispatch_uid="pagecache_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="pagecache_m2m")


# --- the middleware -----------------------------------------------------------------------------


def _etag(digest: str, request, has_csrf: bool) -> str:
    # A page with a token is only "not modified" for the visitor whose token it holds.
    if has_csrf:
        digest = hashlib.sha256(f"{digest}:{request.META['CSRF_COOKIE']}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def _usable(entry: dict | None, versions: str) -> bool:
    return (
        entry is not None and entry["versions"] == versions and time.time() < entry["fresh_until"]
    )


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "HX-Request" not in request.headers
    )


class PublicPageCacheMiddleware:
    """Serves and stores the pages marked with @public_page; see the module docstring. Placed
    right after CsrfViewMiddleware: the visitor's CSRF cookie is read, and the cookies the
    inner middleware set (messages) are seen before a page is stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_public_page_key", None)
        if key is not None:
            if self._storable(request, response):
                self._store(request, response, key, request._public_page_versions)
            elif request._public_page_renderer:
                # What the cache holds is no longer what a visitor gets (a 404 now...).
                cache.delete(key)
                _local.pages.pop(key, None)
            if request._public_page_renderer:
                cache.delete(f"{key}:rendering")
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        apps = getattr(view_func, "public_page_apps", None)
        seconds = settings.PAGE_CACHE_SECONDS
        if apps is None or seconds <= 0 or request.method != "GET" or not _anonymous(request):
            return None
        if request.META.get("QUERY_STRING") and not view_func.public_page_query:
            return None
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key = f"pagecache:page:{translation.get_language()}:{path}"
        versions = _local.current(apps)
        entry = _local.pages.get(key)
        if not _usable(entry, versions):
            shared = cache.get(key)  # rendered by another process
            if _usable(shared, versions):
                _local.keep(key, shared)
            entry = shared or entry
        if _usable(entry, versions):
            return self._serve(request, entry)
        # Out of date or missing: one request renders it again (per page, across processes that
        # share the cache) while the others keep getting the page it replaces for that moment,
        # instead of every thread rendering at once when a page expires.
        renderer = entry is None or cache.add(f"{key}:rendering", 1, timeout=RENDER_SECONDS)
        if not renderer:
            return self._serve(request, entry)
        request._public_page_key = key
        request._public_page_versions = versions
        request._public_page_renderer = entry is not None
        return None

    @staticmethod
    def _storable(request, response) -> bool:
        user = getattr(request, "user", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not (user is not None and user.is_authenticated)
            and not response.has_header("Cache-Control")
            and not (hasattr(request, "session") and request.session.modified)
            and _anonymous(request)
        )

    def _store(self, request, response, key, versions) -> None:
        content = response.content
        has_csrf = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        if has_csrf:
            secret = request.META["CSRF_COOKIE"]

            def hide(match):
                token = match.group().decode()
                return CSRF_PLACEHOLDER if _unmask_cipher_token(token) == secret else match.group()

            content = _CSRF_CANDIDATE.sub(hide, content)
        digest = hashlib.sha256(content).hexdigest()
        entry = {
            "content": content,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in {"content-length", "set-cookie"}
            ],
            "digest": digest,
            "modified": time.time(),
            "has_csrf": has_csrf,
            "versions": versions,
            "fresh_until": time.time() + settings.PAGE_CACHE_SECONDS,
        }
        # Kept a little past its freshness, to be served while one request renders it again.
        cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS + RENDER_SECONDS)
        _local.keep(key, entry)
        self._validators(request, response, entry)

    @staticmethod
    def _validators(request, response, entry) -> None:
        response["ETag"] = _etag(entry["digest"], request, entry["has_csrf"])
        if not entry["has_csrf"]:
            response["Last-Modified"] = http_date(entry["modified"])
        # Browsers may keep the page but ask each time (a 304 when nothing changed).
        patch_cache_control(response, no_cache=True)

    def _serve(self, request, entry):
        content = entry["content"]
        if entry["has_csrf"]:
            content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in entry["headers"]:
            response[name] = value
        self._validators(request, response, entry)
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=None if entry["has_csrf"] else int(entry["modified"]),
            response=response,
        )
