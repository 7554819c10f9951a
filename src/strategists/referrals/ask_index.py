"""The ask feature's index: the tables the candidate query reads, kept in step with every write.

``ask_service.py`` answers questions from these tables; ``services.py`` calls ``index_resource``
and ``index_question`` inside its transactions.

Candidates come from impact-ordered posting lists (``referrals_resourceposting``, both
databases): one row per (resource, stem) holding the core's BM25F impact without the idf, with an
index on (term, impact descending). A question reads only the best rows of each of its stems (as
the core's in-memory engine does) and sums weight x idf x impact per resource, so its cost no
longer grows with the number of resources that share a word with it. Postings are written here on
every change; ``index_rebuild`` recomputes them all with the final average field lengths.

Answered questions are found with the full-text structures of migration 0002 (FTS5 on SQLite, a
``tsvector`` column with a GIN index on PostgreSQL). The resources' own full-text table and column,
which nothing read once postings existed, were dropped by migration 0005. Stems reach SQL only as
bound parameters. The candidate-term and impact formulas are the core's (``ask/terms.py``), shared
with the in-memory engine.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from strategists.referrals.ask import (
    DEFAULT_PARAMS,
    FIELDS,
    CorpusStats,
    QueryAnalysis,
    ResourceDoc,
    Speller,
    is_safe_term,
    stem,
)
from strategists.referrals.ask.ranking import field_scales
from strategists.referrals.ask.terms import candidate_terms, term_impact
from strategists.referrals.models import (
    Question,
    Resource,
    ResourceIndex,
    ResourcePosting,
    SearchState,
)

POSTINGS = ResourcePosting._meta.db_table
# One stem's best postings: a range scan of the (term, impact desc, resource) index.
POSTING_LIST = (
    f"SELECT * FROM (SELECT resource_id, impact * %s AS score FROM {POSTINGS} "  # noqa: S608 - constants
    "WHERE term = %s ORDER BY impact DESC, resource_id LIMIT %s) AS p{i}"
)
QUESTION_FTS = "referrals_question_fts"
BULK = 1000


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


# --------------------------------------------------------------------------- writing


def field_terms(doc: ResourceDoc) -> list[str]:
    """One text per ranking field: the doc's safe stems, each repeated by its count."""
    texts: list[list[str]] = [[] for _ in FIELDS]
    for term, counts in sorted(doc.tf.items()):
        if not is_safe_term(term):
            continue
        for i, count in enumerate(counts):
            if count:
                texts[i].extend([term] * min(count, 20))
    return [" ".join(words) for words in texts]


def _split(doc: ResourceDoc) -> tuple[dict, str, str]:
    """(full ``to_dict()``, head JSON without term data, " stem:c,c,c,c,c" text)."""
    data = doc.to_dict()
    head = {k: v for k, v in data.items() if k not in ("tf", "words")}
    tf_text = (
        "".join(f" {term}:{','.join(map(str, counts))}" for term, counts in sorted(doc.tf.items()))
        + " "
    )
    return data, json.dumps(head, separators=(",", ":")), tf_text


def _index_row(resource_pk: int, served: str, doc: ResourceDoc) -> ResourceIndex:
    data, head, tf_text = _split(doc)
    return ResourceIndex(
        resource_id=resource_pk, served=served, doc=data, head=head, tf_text=tf_text
    )


def postings(
    resource_pk: int,
    lengths: Iterable[int],
    tf: Iterable[tuple[str, Iterable[int]]],
    averages: list[float],
) -> list[tuple[int, str, float]]:
    """(resource, stem, impact) rows: the core's BM25F impact of each stem without its idf."""
    scales = field_scales(ResourceDoc(id="", lengths=tuple(lengths)), averages, DEFAULT_PARAMS)
    k1 = DEFAULT_PARAMS.k1
    rows = []
    for term, counts in tf:
        impact = term_impact(counts, scales, k1)
        if impact > 0:
            rows.append((resource_pk, term, impact))
    return rows


def _parse_tf(tf_text: str) -> Iterable[tuple[str, tuple[int, ...]]]:
    for item in tf_text.split():
        term, _, counts = item.rpartition(":")
        yield term, tuple(map(int, counts.split(",")))


def _postings_put(rows: list[tuple[int, str, float]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                f"COPY {POSTINGS} (resource_id, term, impact) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {POSTINGS} (resource_id, term, impact) VALUES (%s, %s, %s)",  # noqa: S608 - a table-name constant
                rows,
            )


def postings_rebuild(stats: CorpusStats) -> int:
    """Recompute every posting from the stored index rows (after a rebuild, or by migration)."""
    averages = [stats.avg_length(i) for i in range(len(FIELDS))]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {POSTINGS}")  # noqa: S608 - constant table name
    after, count = -1, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT resource_id, head, tf_text FROM referrals_resourceindex WHERE resource_id > %s "
                "ORDER BY resource_id LIMIT %s",
                [after, BULK * 5],
            )
            chunk = cursor.fetchall()
        if not chunk:
            return count
        rows = []
        for pk, head, tf_text in chunk:
            rows.extend(postings(pk, json.loads(head)["lengths"], _parse_tf(tf_text), averages))
        _postings_put(rows)
        count += len(rows)
        after = chunk[-1][0]


def _fts_delete(table: str, pk: int) -> None:
    if is_sqlite():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [pk])  # noqa: S608 - constant table name


def _locked_state() -> SearchState:
    SearchState.objects.get_or_create(pk=1)
    return SearchState.objects.select_for_update().get(pk=1)


def resource_doc(resource: Resource, skill_areas: Iterable[str] | None = None) -> ResourceDoc:
    return ResourceDoc.from_mapping(resource.as_record(skill_areas))


@transaction.atomic
def index_resource(resource: Resource) -> None:
    """Bring the index and the corpus statistics in line with one resource (listed or not)."""
    state = _locked_state()
    stats = CorpusStats.from_dict(state.stats) if state.stats else CorpusStats()
    old = ResourceIndex.objects.filter(pk=resource.pk).first()
    if old is not None:
        stats.remove(ResourceDoc.from_dict(old.doc))
        old.delete()
    ResourcePosting.objects.filter(resource_id=resource.pk).delete()
    if resource.is_listed:
        doc = resource_doc(resource)
        stats.add(doc)
        _index_row(resource.pk, resource.region, doc).save(force_insert=True)
        # Impacts use today's average field lengths; a rebuild brings older rows up to date.
        averages = [stats.avg_length(i) for i in range(len(FIELDS))]
        _postings_put(postings(resource.pk, doc.lengths, sorted(doc.tf.items()), averages))
    state.stats = stats.to_dict()
    state.version += 1
    state.save()


@transaction.atomic
def index_rebuild() -> int:
    """Rebuild the whole resource and question index from the tables; returns resources indexed."""
    state = _locked_state()
    ResourceIndex.objects.all().delete()
    stats = CorpusStats()
    listed = Resource.objects.filter(status=Resource.Status.APPROVED).order_by("pk")
    through = Resource.skill_areas.through
    areas: dict[int, list[str]] = {}
    for resource_id, area_id in through.objects.filter(resource__in=listed).values_list(
        "resource_id", "skillarea_id"
    ):
        areas.setdefault(resource_id, []).append(area_id)
    batch: list[ResourceIndex] = []
    count = 0

    def flush():
        ResourceIndex.objects.bulk_create(batch)
        batch.clear()

    for resource in listed.iterator(chunk_size=BULK):
        doc = resource_doc(resource, sorted(areas.get(resource.pk, [])))
        stats.add(doc)
        batch.append(_index_row(resource.pk, resource.region, doc))
        count += 1
        if len(batch) >= BULK:
            flush()
    flush()
    postings_rebuild(stats)
    state.stats = stats.to_dict()
    state.version += 1
    state.save()
    for question in Question.objects.filter(status=Question.Status.ANSWERED).select_related(
        "accepted_answer"
    ):
        index_question(question)
    return count


def question_doc(question: Question) -> ResourceDoc | None:
    answer = question.accepted_answer
    if question.status != Question.Status.ANSWERED or answer is None:
        return None
    return ResourceDoc.from_fields(
        id=str(question.pk),
        name=question.text,
        summary=answer.body,
        description=question.details,
        skill_areas=[area.pk for area in question.skill_areas.all()],
    )


def index_question(question: Question) -> None:
    """Index an answered question (its text, details and accepted answer); unindex others."""
    doc = question_doc(question)
    terms = " ".join(" ".join(field_terms(doc)).split()) if doc else ""
    Question.objects.filter(pk=question.pk).update(
        search_terms=terms, doc=doc.to_dict() if doc else None
    )
    _fts_delete(QUESTION_FTS, question.pk)
    if doc is not None and is_sqlite():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {QUESTION_FTS}(rowid, terms) VALUES (%s, %s)",  # noqa: S608 - a table-name constant
                [question.pk, terms],
            )


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class SearchContext:
    version: int
    stats: CorpusStats
    speller: Speller


_cache_lock = threading.Lock()
_cache: dict[str, SearchContext] = {}


def search_context() -> SearchContext:
    """The corpus statistics and speller, reloaded only when another write moved the version."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM referrals_searchstate WHERE id = 1")
        row = cursor.fetchone()
    version = row[0] if row else 0
    key = connection.settings_dict.get("NAME") or "default"
    cached = _cache.get(key)
    if cached is not None and cached.version == version:
        return cached
    with _cache_lock:
        data = SearchState.objects.filter(pk=1).values_list("version", "stats").first()
        if data is None:
            context = SearchContext(0, CorpusStats(), CorpusStats().speller())
        else:
            stats = CorpusStats.from_dict(data[1]) if data[1] else CorpusStats()
            context = SearchContext(data[0], stats, stats.speller())
        _cache[key] = context
        return context


def query_terms(analysis: QueryAnalysis, stats: CorpusStats) -> list[tuple[str, float, int]]:
    """(stem, weight x idf, depth) for the candidate query: the best-weighted stems the corpus has,
    each read to a depth that grows with its weight (as in the core's in-memory engine)."""
    known = {t for t in analysis.terms if stats.df.get(t)}
    return [(c.term, c.score, c.depth) for c in candidate_terms(analysis.terms, stats.idf, known)]


def _docs(rows) -> list[ResourceDoc]:
    return [ResourceDoc.from_dict(json.loads(doc) if isinstance(doc, str) else doc) for doc in rows]


@functools.lru_cache(maxsize=50_000)
def _head(head: str) -> dict:
    data = json.loads(head)
    return {
        "id": data["id"],
        "kind": data["kind"],
        "cost": data["cost"],
        "region": data["region"],
        "skill_areas": tuple(data["skill_areas"]),
        "lengths": tuple(data["lengths"]),
        "places": frozenset(data["places"]),
        "cheap": data["cheap"],
    }


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """Finds " stem:c,c,c,c,c" pairs of the given stems in ``tf_text``, in one pass."""
    terms = sorted(set(terms), key=lambda t: (-len(t), t))
    return re.compile(f" ({'|'.join(map(re.escape, terms))}):([0-9,]+)") if terms else None


def light_doc(head: str, tf_text: str, pattern: re.Pattern[str] | None) -> ResourceDoc:
    """A ResourceDoc holding only the counts of the stems ``pattern`` finds (see term_pattern):
    rank() never looks at other stems, and this skips parsing every candidate's whole term table."""
    tf = (
        {term: tuple(map(int, counts.split(","))) for term, counts in pattern.findall(tf_text)}
        if pattern
        else {}
    )
    return ResourceDoc(tf=tf, **_head(head))


def resource_candidates(
    analysis: QueryAnalysis, stats: CorpusStats, limit: int | None = None
) -> list[ResourceDoc]:
    """The top resources by the database's own ranking, plus those in the places named.

    Returned docs carry only the analysis' stems (see ``light_doc``)."""
    limit = limit or DEFAULT_PARAMS.candidates
    terms = query_terms(analysis, stats)
    ids: list[int] = []
    with connection.cursor() as cursor:
        if terms and is_sqlite():
            # The best postings of each stem, summed per resource.
            lists = " UNION ALL ".join(POSTING_LIST.format(i=i) for i in range(len(terms)))
            cursor.execute(
                f"SELECT resource_id FROM ({lists}) AS hits GROUP BY resource_id "  # noqa: S608 - constants
                "ORDER BY SUM(score) DESC, resource_id LIMIT %s",
                [value for term, weight, depth in terms for value in (weight, term, depth)]
                + [limit],
            )
        elif terms:
            # The same as one lateral join, which PostgreSQL plans faster than a long UNION.
            values = ", ".join(["(%s, %s::float8, %s::int)"] * len(terms))
            cursor.execute(
                f"SELECT p.resource_id FROM (VALUES {values}) AS q(term, weight, depth) CROSS JOIN LATERAL "  # noqa: S608
                f"(SELECT resource_id, impact FROM {POSTINGS} WHERE term = q.term "
                "ORDER BY impact DESC, resource_id LIMIT q.depth) AS p "
                "GROUP BY p.resource_id ORDER BY SUM(q.weight * p.impact) DESC, p.resource_id LIMIT %s",
                [value for term in terms for value in term] + [limit],
            )
        if terms:
            ids.extend(pk for (pk,) in cursor.fetchall())
        places = sorted(analysis.places)
        if places:
            # Answered from the index on ``served`` alone: no ORDER BY that would scan the table.
            marks = ", ".join(["%s"] * len(places))
            cursor.execute(
                f"SELECT resource_id FROM referrals_resourceindex WHERE served IN ({marks}) LIMIT %s",  # noqa: S608 - placeholders only
                [*places, limit],
            )
            ids.extend(pk for (pk,) in cursor.fetchall())
        ids = list(dict.fromkeys(ids))
        if not ids:
            return []
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT resource_id, head, tf_text FROM referrals_resourceindex WHERE resource_id IN ({marks})",  # noqa: S608 - placeholders only
            ids,
        )
        rows = {pk: (head, tf_text) for pk, head, tf_text in cursor.fetchall()}
    pattern = term_pattern(term for term in analysis.terms if stats.df.get(term))
    return [light_doc(*rows[pk], pattern) for pk in ids if pk in rows]


def docs_for(public_ids: Iterable[str]) -> list[ResourceDoc]:
    ids = list(public_ids)
    if not ids:
        return []
    rows = ResourceIndex.objects.filter(resource__public_id__in=ids).values_list("doc", flat=True)
    return [ResourceDoc.from_dict(doc) for doc in rows]


def question_candidates(analysis: QueryAnalysis, limit: int = 50) -> list[ResourceDoc]:
    """Answered questions whose text or accepted answer shares words with the question."""
    terms = list(
        dict.fromkeys(
            t for t in (stem(w) for w, _ in analysis.fts_terms(limit=30)) if is_safe_term(t)
        )
    )
    if not terms:
        return []
    with connection.cursor() as cursor:
        if is_sqlite():
            cursor.execute(
                f"SELECT q.doc FROM {QUESTION_FTS} AS f JOIN referrals_question AS q ON q.id = f.rowid "  # noqa: S608
                f"WHERE {QUESTION_FTS} MATCH %s AND q.doc IS NOT NULL ORDER BY f.rank LIMIT %s",
                [" OR ".join(f'"{t}"' for t in terms), limit],
            )
        else:
            cursor.execute(
                "SELECT doc FROM referrals_question WHERE search_vector @@ to_tsquery('simple', %s) "
                "AND doc IS NOT NULL ORDER BY ts_rank(search_vector, to_tsquery('simple', %s)) DESC, id LIMIT %s",
                [" | ".join(terms)] * 2 + [limit],
            )
        return _docs(doc for (doc,) in cursor.fetchall())
