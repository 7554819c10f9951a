"""How far a background import has got, where the page polling for it can read it.

The import itself runs in one transaction that nobody else can see into until it commits, so
its progress is kept outside the database: in the shared cache (Redis) when there is one, else
in a small file cache that the web server and the worker beside it on the same machine share
(the default local-memory cache lives inside one process)."""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache

TIMEOUT = 3600
_store = None


def _cache():
    global _store
    if _store is None:
        default = caches["default"]
        if isinstance(default, LocMemCache):
            _store = FileBasedCache(str(settings.VAR_DIR / "import-progress"), {"TIMEOUT": TIMEOUT})
        else:
            _store = default
    return _store


def _key(job_id: int) -> str:
    return f"imports:progress:{job_id}"


def progress_set(job_id: int, done: int, total: int) -> None:
    _cache().set(_key(job_id), [done, total], TIMEOUT)


def progress_get(job_id: int) -> tuple[int, int]:
    value = _cache().get(_key(job_id))
    return (value[0], value[1]) if value else (0, 0)


def progress_clear(job_id: int) -> None:
    _cache().delete(_key(job_id))
