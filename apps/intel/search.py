"""Full-text search in Chinese over intelligence reports (R-INTEL-05).

Why not ``to_tsvector('simple', body)``
    PostgreSQL's default parser has no Chinese word breaker: a run of Han characters without
    spaces becomes one "word", so ``市场`` is not found inside ``国内市场营销``. Any substring of two
    or more Chinese characters must be found, so the text is tokenised here, in Python.

Design: overlapping CJK bigrams in a positioned ``tsvector`` with a GIN index
    * The text (title, body, text of the live attachments) is normalised (NFKC, so full-width
      letters and digits become ASCII; then case-folded) and cut into runs of Han characters and
      runs of Latin letters and digits.
    * A Han run ``c1 c2 … cn`` gives the bigrams ``c1c2, c2c3, …`` at consecutive positions; a
      Latin or number word of two or more characters is one lexeme. Two runs are separated by a
      gap of one position, so tokens of different runs are never adjacent.
    * The vector is written as a ``tsvector`` literal with explicit positions and weights (title
      tokens weight A, the rest D), so no text-search parser or dictionary can alter a token.
      :func:`report_reindex` writes it with ``search_text`` in one UPDATE; a GIN index
      (migration 0004, PostgreSQL only) serves ``@@``.
    * A query term of n >= 2 Han characters is its n-1 bigrams joined with the phrase operator
      ``<->`` (each must sit exactly one position after the previous). Consecutive overlapping
      bigrams at consecutive positions spell the term, and positions never bridge two runs, so
      the match is exactly "the term is a substring of one Han run": ``市场`` inside
      ``超市场地`` is found (it *is* a substring there), ``超市，场地`` does not give ``市场``, and
      ``市场营销`` needs ``市场``, ``场营``, ``营销`` at p, p+1, p+2. A two-character term is a
      single lexeme: the GIN index answers it without reading any row's vector. Latin words match
      as prefixes (``hba`` finds ``HbA1c``). Terms separated by spaces are ANDed.
    * Single Han characters are not indexed: a query needs at least two characters in a term
      (the page says so). A one-character Han run next to a Latin word in the query is ignored.

Limits of a tsvector and how they are handled
    PostgreSQL caps positions at 16383 and keeps at most 256 positions per lexeme. A capped or
    clamped position could make a phrase match wrongly, so the vector stops at position
    :data:`MAX_POSITION` and keeps at most :data:`MAX_POSITIONS_PER_LEXEME` positions of a
    lexeme (a vector can then miss a phrase, never invent one). When anything was left out, the
    vector gets the marker lexeme :data:`PARTIAL_MARKER` (it contains ``~``, which no query token
    can), and the query becomes ``vector @@ q OR (vector @@ '~partial' AND search_text LIKE
    '%term%' …)``: both arms are index-backed (a BitmapOr of two GIN scans), and the few long
    documents (long attachments) are checked on their full normalised text, so they are exact too.

Why not pg_trgm
    A trigram index cannot serve a two-character term (``市场`` has no trigram of its own; with
    ``LIKE '%市场%'`` pg_trgm falls back to a full scan), and two-character terms are the most
    common Chinese searches. Bigrams in a tsvector also give ``ts_rank`` with title weights.

Ranking and speed
    Reading a row's vector (TOASTed, a few kB) costs tens of microseconds: cheap for a few
    hundred rows, seconds for the 70,000 reports a frequent term matches among 100,000. A phrase
    query must read the vector of every candidate (GIN keeps no positions), and so would an exact
    count. So the search counts the visible matches up to :data:`COUNT_LIMIT` (the page says
    "more than 200" above that and asks for more words or filters); up to :data:`RANK_LIMIT`
    matches are ordered by ``ts_rank`` (title tokens weigh more), newest first among equals;
    above that, newest first: by walking the date index and stopping after a page for a frequent
    term, by sorting the GIN bitmap's rows for a rarer one without phrases (:func:`report_order`).
    A phrase above that walks the date index too, whatever PostgreSQL estimates: it cannot tell
    how many candidates hold the bigrams in a row (for "上市预计" it guessed 93 of 1,759) and
    would sort the bitmap, checking the positions of every candidate (thousands of vector
    reads); walking checks rows only until a page is full (about 25 / share of matching rows).
    The heap rows are kept narrow (migration 0004 sets ``toast_tuple_target``), so the rows a
    scan skips cost little. See bench/intel.py and docs/benchmarks.md for figures.

SQLite (development)
    No vector: each term must be a substring of ``search_text`` (normalised the same way);
    results newest first.

Visibility
    :func:`report_search` narrows the queryset it is given and never widens it: callers pass a
    queryset already narrowed by ``visible_to(user)`` and to live reports, so counts and results
    hold nothing the user may not see (see :mod:`apps.intel.selectors.search`).
"""

import logging
import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import BooleanField, DateField, F, FloatField, Func, Q, QuerySet, Value

logger = logging.getLogger(__name__)

MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_LEXEME = 255  # PostgreSQL keeps at most 256 positions of one lexeme
MAX_LATIN_WORD = 60  # longer "words" (hashes, base64) are not useful search terms
PARTIAL_MARKER = "~partial"  # in the vector of a document the vector does not cover entirely
RANK_LIMIT = 200  # more matches than this: newest first instead of ts_rank
COUNT_LIMIT = 200  # matches are counted up to this; more are shown as "more than 200"
MIN_TERM_CHARS = 2

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_HAN}]+|[0-9a-z]+")
_HAN_RE = re.compile(rf"[{_HAN}]")


def normalize(text: str) -> str:
    """The form search works on: NFKC (full-width letters and digits to ASCII), then case-folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def _is_han(run: str) -> bool:
    return bool(_HAN_RE.match(run))


# ---------------------------------------------------------------------------------------------
# Documents


@dataclass
class _VectorBuilder:
    positions: dict[str, list[str]] = field(default_factory=dict)
    next_position: int = 1
    partial: bool = False

    def add(self, text: str, *, weight: str) -> None:
        suffix = "A" if weight == "A" else ""
        positions = self.positions
        position = self.next_position
        for run in _RUN_RE.findall(normalize(text)):
            length = len(run)
            if run[0] >= "\u3400":  # a Han run (the other runs are [0-9a-z]+)
                if length < 2:
                    continue
                tokens = [run[i : i + 2] for i in range(length - 1)]
            elif length < 2 or length > MAX_LATIN_WORD:
                continue
            else:
                tokens = [run]
            if position + len(tokens) - 1 > MAX_POSITION:
                self.partial = True
                break
            for token in tokens:
                kept = positions.get(token)
                if kept is None:
                    positions[token] = [f"{position}{suffix}"]
                elif len(kept) < MAX_POSITIONS_PER_LEXEME:
                    kept.append(f"{position}{suffix}")
                else:
                    self.partial = True
                position += 1
            position += 1  # the gap: tokens of two runs are never adjacent
        self.next_position = position

    def literal(self) -> str:
        lexemes = dict(self.positions)
        if self.partial:
            lexemes[PARTIAL_MARKER] = []
        return " ".join(
            _quote(lexeme) + (":" + ",".join(positions) if positions else "") for lexeme, positions in lexemes.items()
        )


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def document_vector(*, title: str, parts: Iterable[str]) -> str:
    """The ``tsvector`` literal of a report: title tokens weight A, the other parts weight D."""
    builder = _VectorBuilder()
    builder.add(title, weight="A")
    for part in parts:
        builder.add(part, weight="D")
    return builder.literal()


def document_text(*, title: str, parts: Iterable[str]) -> str:
    """The normalised text kept in ``search_text`` (what SQLite and the long-document arm search)."""
    return normalize("\n".join(p for p in [title, *parts] if p))


# ---------------------------------------------------------------------------------------------
# Queries


@dataclass(frozen=True)
class ParsedQuery:
    """A query cut into terms; ``tsquery`` is empty when no term is long enough to search."""

    terms: tuple[str, ...]  # normalised terms that carry at least one token (substring semantics)
    tsquery: str

    def __bool__(self) -> bool:
        return bool(self.tsquery)


def query_parse(query: str) -> ParsedQuery:
    """Split ``query`` on white space; each term becomes bigram phrases and Latin prefixes, ANDed."""
    terms, parts = [], []
    for term in normalize(query).split():
        term_parts = []
        for run in _RUN_RE.findall(term):
            if _is_han(run):
                if len(run) >= MIN_TERM_CHARS:
                    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
                    term_parts.append(" <-> ".join(_quote(b) for b in bigrams))
            elif MIN_TERM_CHARS <= len(run) <= MAX_LATIN_WORD:
                term_parts.append(_quote(run) + ":*")
        if term_parts:
            terms.append(term)
            parts.extend(f"({p})" for p in term_parts)
    return ParsedQuery(terms=tuple(dict.fromkeys(terms)), tsquery=" & ".join(dict.fromkeys(parts)))


UNINDEXED_MATCH = "intel_search_unindexed"  # a Query attribute (kept by clone()): see _Match


class _Match(Func):
    """``search_vector @@ q``: the GIN index serves it.

    In a query marked with :data:`UNINDEXED_MATCH` it is written ``ts_match_vq(search_vector, q)``,
    the same test as a plain function call, which no index serves: PostgreSQL must then walk the
    date index (see :func:`report_order`). Only the page query is marked; the count is not.
    """

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        if getattr(compiler.query, UNINDEXED_MATCH, False):
            extra_context.update(template="ts_match_vq(%(expressions)s::tsquery)", arg_joiner=", ")
        else:
            extra_context.update(template="(%(expressions)s::tsquery)", arg_joiner=" @@ ")
        return super().as_sql(compiler, connection, **extra_context)


def _matches(tsquery: str) -> _Match:
    return _Match(F("search_vector"), Value(tsquery))


def _rank(tsquery: str):
    return Func(
        F("search_vector"), Value(tsquery), template="ts_rank(%(expressions)s::tsquery)", output_field=FloatField()
    )


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def report_match(*, queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """``queryset`` narrowed to the reports matching every term (no order applied).

    On PostgreSQL this runs one query first: the ids of the few reports whose vector is partial
    (long attachments) and whose full text holds every term. They are added by primary key, so
    the main condition stays ``vector @@ q OR id IN (…)``, two index conditions: for a one-lexeme
    query the GIN answer is exact and no row's vector is read at all.
    """
    if not parsed:
        return queryset.none()
    if not is_postgresql():
        condition = Q()
        for term in parsed.terms:
            condition &= Q(search_text__contains=term)
        return queryset.filter(condition)
    long_documents = Q(_matches(_quote(PARTIAL_MARKER)))
    for term in parsed.terms:
        long_documents &= Q(search_text__contains=term)
    long_ids = list(queryset.filter(long_documents).order_by().values_list("pk", flat=True))
    condition = Q(_matches(parsed.tsquery))
    if long_ids:
        condition |= Q(pk__in=long_ids)
    return queryset.filter(condition)


def report_count(*, queryset: QuerySet) -> int:
    """How many reports match, counted up to COUNT_LIMIT + 1 (more means "more than COUNT_LIMIT").

    An exact count of a frequent phrase would check the positions of every candidate row (for
    "化学发光" over 100,000 reports: seconds); a capped count stops early (bench/intel.py: the
    count of "集采", 70 % of the rows, took 39 ms with a cap of 500 and 3 s without).
    """
    return queryset.order_by()[: COUNT_LIMIT + 1].count()


def report_order(*, queryset: QuerySet, parsed: ParsedQuery, count: int) -> QuerySet:
    """Best first: ``ts_rank`` (title above body) when at most RANK_LIMIT match, else newest first.

    Newest first has two plans. Walking the date index reads the vector of every row it passes
    until a page is full: quick for a frequent term, slow for one in a few hundred rows (it
    passes thousands). Sorting the GIN bitmap's rows reads no vector when the query has no
    phrase (a GIN match of plain lexemes is exact): quick for such a term unless it is frequent.
    PostgreSQL's own estimate cannot tell them apart (it does not price reading a vector), so
    the date index is hidden from a query without phrases whose lexemes are not among the
    column's most common elements (pg_stats: above about 6 % of the rows here).

    A query with a phrase always reads vectors: sorting the bitmap checks every candidate (5,751
    for "上市预计" in 100,000 reports, 72–127 ms), walking the date index checks only the rows it
    passes (a few hundred when more than RANK_LIMIT match). So its GIN index is hidden instead
    (the match is written ``ts_match_vq()``, see :class:`_Match`); the count keeps the index.
    Cost of the walk: about 25 / (share of visible rows matching) vector reads. Indexing 3- and
    4-grams as well was measured and not chosen (docs/benchmarks.md, "Phrase search").
    """
    if is_postgresql() and parsed and count <= RANK_LIMIT:
        return queryset.annotate(search_rank=_rank(parsed.tsquery)).order_by("-search_rank", "-reported_on", "-id")
    if is_postgresql() and parsed and _bitmap_order_is_cheaper(parsed):
        not_indexed = Func(F("reported_on"), template="(%(expressions)s + 0)", output_field=DateField())
        return queryset.order_by(not_indexed.desc(), "-id")
    if is_postgresql() and parsed and "<->" in parsed.tsquery:
        walking = queryset.all()
        setattr(walking.query, UNINDEXED_MATCH, True)
        return walking.order_by("-reported_on", "-id")
    return queryset.order_by("-reported_on", "-id")


_COMMON_LEXEMES: dict = {"at": None, "lexemes": frozenset()}  # "at": time.monotonic() of the last read
COMMON_LEXEMES_SECONDS = 600


def _common_lexemes() -> frozenset:
    """The most common elements of ``search_vector`` in pg_stats, read at most every 10 minutes."""
    now = time.monotonic()
    # Not "now - 0.0 > 600": time.monotonic() may start near zero at boot, which hid pg_stats for
    # the first 10 minutes of uptime (every frequent term then sorted its whole GIN bitmap).
    if _COMMON_LEXEMES["at"] is None or now - _COMMON_LEXEMES["at"] > COMMON_LEXEMES_SECONDS:
        from apps.intel.models import IntelReport

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text FROM pg_stats WHERE tablename = %s AND attname = %s",
                [IntelReport._meta.db_table, "search_vector"],
            )
            row = cursor.fetchone()
        text = (row[0] or "") if row else ""
        lexemes = frozenset(e.strip('"') for e in text.strip("{}").split(",") if e) if text else frozenset()
        _COMMON_LEXEMES.update(at=now, lexemes=lexemes)
    return _COMMON_LEXEMES["lexemes"]


def _bitmap_order_is_cheaper(parsed: ParsedQuery) -> bool:
    if "<->" in parsed.tsquery or ":*" in parsed.tsquery:
        return False
    lexemes = re.findall(r"'([^']+)'", parsed.tsquery)
    common = _common_lexemes()
    return any(lexeme not in common for lexeme in lexemes)


def report_search(*, queryset: QuerySet, query: str) -> QuerySet:
    """Return ``queryset`` narrowed to reports matching ``query``, best first.

    ``queryset`` must already be narrowed to what the user may see (``visible_to``, live).
    """
    parsed = query_parse(query)
    matched = report_match(queryset=queryset, parsed=parsed)
    count = report_count(queryset=matched) if parsed and is_postgresql() else 0
    return report_order(queryset=matched, parsed=parsed, count=count)


# ---------------------------------------------------------------------------------------------
# Writing the index


def _rows_update(rows: list[tuple[int, str, str]]) -> None:
    """Write ``(pk, search_text, vector literal)`` rows in one statement."""
    from apps.intel.models import IntelReport

    if not rows:
        return
    table = connection.ops.quote_name(IntelReport._meta.db_table)
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS r SET search_text = v.t, search_vector = v.v::tsvector "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, t, v) WHERE r.id = v.id",
                [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
            )
        return
    for pk, text, _vector in rows:
        IntelReport.objects.filter(pk=pk).update(search_text=text)


def _document(*, title: str, body: str, attachment_texts: list[str]) -> tuple[str, str]:
    parts = [body, *attachment_texts]
    return document_text(title=title, parts=parts), document_vector(title=title, parts=parts)


def report_reindex(*, report) -> None:
    """Recompute ``report.search_text`` and its vector from title, body and live attachment text.

    Only attachments at or below the report's own level are indexed: one more secret than its
    report must not make the report findable by words only that attachment holds.
    """
    texts = list(
        report.attachments.filter(is_archived=False, confidentiality__lte=F("report__confidentiality"))
        .order_by("id")
        .values_list("text", flat=True)
    )
    text, vector = _document(title=report.title, body=report.body, attachment_texts=[t for t in texts if t])
    _rows_update([(report.pk, text, vector)])
    report.search_text = text


def reports_reindex(queryset: QuerySet, *, batch_size: int = 1000, progress=None) -> int:
    """Reindex every report of ``queryset`` in batches of ``batch_size``; return how many."""
    from apps.intel.models import IntelAttachment

    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        attachments: dict[int, list[str]] = {}
        for report_id, text in (
            IntelAttachment.objects.filter(
                report_id__in=batch, is_archived=False, confidentiality__lte=F("report__confidentiality")
            )
            .exclude(text="")
            .order_by("report_id", "id")
            .values_list("report_id", "text")
        ):
            attachments.setdefault(report_id, []).append(text)
        rows = []
        for pk, title, body in queryset.model.objects.filter(pk__in=batch).values_list("pk", "title", "body"):
            text, vector = _document(title=title, body=body, attachment_texts=attachments.get(pk, []))
            rows.append((pk, text, vector))
        with transaction.atomic():
            _rows_update(rows)
        done += len(rows)
        if progress:
            progress(done, len(ids))
    return done


# ---------------------------------------------------------------------------------------------
# Showing matches


def snippet(text: str, terms: Iterable[str], *, width: int = 120) -> str:
    """About ``width`` characters of ``text`` around the first match of any term (plain text)."""
    text = " ".join((text or "").split())
    pattern = highlight_pattern(terms)
    match = pattern.search(text) if pattern else None
    if match is None:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, match.start() - width // 3)
    end = min(len(text), start + width)
    start = max(0, end - width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def highlight_pattern(terms: Iterable[str]) -> re.Pattern | None:
    """A case-insensitive pattern of the query's terms, longest first (None when there are none)."""
    return _highlight_pattern(tuple(terms))


@lru_cache(maxsize=256)
def _highlight_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    # Built once per query and process: a page of results asks for it twice per row (title, snippet).
    words = sorted({t for t in terms if t and len(t) >= MIN_TERM_CHARS}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
