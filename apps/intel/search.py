"""Full-text search in Chinese over intelligence reports (R-INTEL-05).

Why not ``to_tsvector('simple', body)``
    PostgreSQL's default parser has no Chinese word breaker: a run of Han characters without
    spaces becomes one "word", so ``市场`` is not found inside ``国内市场营销``. Any substring of two
    or more Chinese characters must be found, so the text is tokenised here, in Python.

Design: CJK bigrams and n-grams in two ``tsvector`` columns under one GIN index
    * The text (title, body, text of the live attachments) is normalised (NFKC, so full-width
      letters and digits become ASCII; then case-folded) and cut into runs of Han characters and
      runs of Latin letters and digits. The normalised text is kept in ``search_text``.
    * ``search_vector``: a Han run ``c1 c2 … cn`` gives the bigrams ``c1c2, c2c3, …`` at
      consecutive positions; a Latin or number word of two or more characters is one lexeme. Two
      runs are separated by a gap of one position, so tokens of different runs are never
      adjacent. It is written as a ``tsvector`` literal with explicit positions and weights
      (title tokens weight A, the rest D), so no parser or dictionary can alter a token. Its
      positions serve ``ts_rank`` only.
    * ``search_ngrams`` (migration 0008): every distinct 3- and 4-character substring of each Han
      run, without positions (:func:`document_ngrams`). GIN keeps no positions, so a phrase
      (``'市场' <-> '场营' <-> '营销'``) on the bigram vector had to read every candidate row's
      vector (stored out of line, several kB): 372 ms for 市场的检 and up to 560 ms for 的检测速度
      at 100,000 reports, terms of common bigrams that rarely sit next to each other. An n-gram
      is answered by the index alone, exactly.
    * A query term (:func:`query_parse`) is matched without reading any vector
      (:class:`_SearchMatch`): a two-character Han run as its bigram on ``search_vector``; a run
      of three or four characters as one n-gram on ``search_ngrams``; a longer run as the AND of
      its 4-grams, then checked as a substring of ``search_text`` among those few candidates; a
      Latin word as a prefix on ``search_vector`` (``hba`` finds ``HbA1c``). Terms separated by
      spaces are ANDed. A Han run of the query matches exactly when it is a substring of one Han
      run of the text: ``市场`` inside ``超市场地`` is found, ``超市，场地`` does not give ``市场``.
    * :func:`report_reindex` writes the three columns in one UPDATE; one GIN index on
      ``(search_vector, search_ngrams)`` (PostgreSQL only) serves both ``@@`` in one scan.
    * Single Han characters are not indexed: a query needs at least two characters in a term
      (the page says so). A one-character Han run next to a Latin word in the query is ignored.

Limits of a tsvector and how they are handled
    PostgreSQL caps positions at 16383, keeps at most 256 positions per lexeme and a vector at
    1 MB. The bigram vector stops at position :data:`MAX_POSITION` and keeps at most
    :data:`MAX_POSITIONS_PER_LEXEME` positions of a lexeme; the n-gram vector keeps at most
    :data:`MAX_NGRAMS` n-grams. When anything was left out, the bigram vector gets the marker
    lexeme :data:`PARTIAL_MARKER` (it contains ``~``, which no query token can), and the query
    becomes ``<match> OR id IN (…)``, the ids of the marked reports whose full normalised text
    holds every term (:func:`report_match`): the few long documents (long attachments) are
    found exactly too.

Why not pg_trgm
    A trigram index cannot serve a two-character term (``市场`` has no trigram of its own; with
    ``LIKE '%市场%'`` pg_trgm falls back to a full scan), and two-character terms are the most
    common Chinese searches. Its recheck also reads every candidate's text. Bigrams in a tsvector
    give ``ts_rank`` with title weights, and the n-grams answer longer terms without a recheck.

Ranking and speed
    Reading a row's vector or text costs tens of microseconds: cheap for a few hundred rows,
    seconds for the 70,000 reports a frequent term matches among 100,000. So the search counts
    the visible matches up to :data:`COUNT_LIMIT` (the page says "more than 200" above that and
    asks for more words or filters); up to :data:`RANK_LIMIT` matches are ordered by ``ts_rank``
    (title tokens weigh more), newest first among equals. Above that, newest first, in one of
    two plans (:func:`report_order`), chosen by the share of the reports holding the query's
    rarest lexeme, read from pg_stats (:func:`_common_lexemes`; PostgreSQL's own estimate does
    not price reading a row): for a rare lexeme the GIN rows are sorted by date (a run of five or
    more characters is checked on the text after the sort, only until the page is full:
    :class:`_CheckedAfterSort`); for a frequent one the date index is walked, checking each row's
    text (``strpos``, no vector read) until a page is full (about 25 / share of matching rows).
    The heap rows are kept narrow (migration 0004 sets ``toast_tuple_target``), so the rows a
    scan skips cost little. See bench/intel.py and docs/benchmarks.md for figures, and for the
    alternatives measured and not chosen.

SQLite (development)
    No vector: each term must be a substring of ``search_text`` (normalised the same way);
    results newest first.

Visibility
    :func:`report_search` narrows the queryset it is given and never widens it: callers pass a
    queryset already narrowed by ``visible_to(user)`` and to live reports, so counts and results
    hold nothing the user may not see (see :mod:`apps.intel.selectors.search`).
"""

import logging
import math
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
PARTIAL_MARKER = "~partial"  # in the vector of a document the vectors do not cover entirely
NGRAM_SIZES = (3, 4)  # the lengths of Han n-grams in ``search_ngrams``
MAX_NGRAMS = 40_000  # distinct n-grams kept of one document (a tsvector holds at most 1 MB)
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


def document_vector(*, title: str, parts: Iterable[str], partial: bool = False) -> str:
    """The ``tsvector`` literal of a report: title tokens weight A, the other parts weight D."""
    builder = _VectorBuilder(partial=partial)
    builder.add(title, weight="A")
    for part in parts:
        builder.add(part, weight="D")
    return builder.literal()


def document_ngrams(text: str) -> tuple[str, bool]:
    """The ``search_ngrams`` literal of a normalised text, and whether n-grams were left out.

    Every distinct 3- and 4-character substring of its Han runs, without positions: the GIN
    index answers a term of three or four characters exactly, and narrows a longer one to the
    reports holding all of its 4-grams (see :class:`ParsedQuery`). Nothing ever reads this vector
    but the index, so its size (about twice the positional vector) costs no query any time.
    """
    grams: dict[str, None] = {}
    partial = False
    for run in _RUN_RE.findall(text):
        if run[0] < "\u3400" or len(run) < NGRAM_SIZES[0]:
            continue
        for size in NGRAM_SIZES:
            for i in range(len(run) - size + 1):
                grams[run[i : i + size]] = None
        if len(grams) > MAX_NGRAMS:
            partial = True
            break
    return " ".join(_quote(g) for g in list(grams)[:MAX_NGRAMS]), partial


def document_text(*, title: str, parts: Iterable[str]) -> str:
    """The normalised text kept in ``search_text`` (what SQLite and the long-document arm search)."""
    return normalize("\n".join(p for p in [title, *parts] if p))


# ---------------------------------------------------------------------------------------------
# Queries


@dataclass(frozen=True)
class ParsedQuery:
    """A query cut into terms; ``tsquery`` is empty when no term is long enough to search.

    ``tsquery`` is the exact query, with phrases (``'市场' <-> '场营' <-> '营销'``): it ranks. The
    match reads no row's vector (:class:`_SearchMatch`); it ANDs, each answered exactly by the
    GIN index without a recheck (no positions asked):

    * ``vector_tsquery`` on ``search_vector``: the bigram of each two-character Han run and each
      Latin word as a prefix;
    * ``ngram_tsquery`` on ``search_ngrams``: a run of three or four characters as one n-gram
      (exact), a longer run as the AND of its 4-grams;
    * ``checked_runs``, the runs of five or more characters, each a substring of the normalised
      ``search_text``. A run made only of Han characters is a substring of the text exactly when
      it lies inside one Han run of it, which is what the phrase asks.

    ``han_runs`` (every Han run) and ``latin_tsquery`` (the Latin prefixes alone) are the match
    written for the walk of the date index; ``lexemes`` what :func:`_bitmap_order_is_cheaper` weighs.
    """

    terms: tuple[str, ...]  # normalised terms that carry at least one token (substring semantics)
    tsquery: str
    vector_tsquery: str = ""
    ngram_tsquery: str = ""
    checked_runs: tuple[str, ...] = ()
    han_runs: tuple[str, ...] = ()
    latin_tsquery: str = ""
    lexemes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.tsquery)

    @property
    def has_phrase(self) -> bool:
        """Whether a term has a Han run of three or more characters (bigrams in a row)."""
        return bool(self.ngram_tsquery)


def query_parse(query: str) -> ParsedQuery:
    """Split ``query`` on white space; each term becomes bigram phrases and Latin prefixes, ANDed."""
    terms, parts, han_runs, latin = [], [], [], []
    for term in normalize(query).split():
        term_parts = []
        for run in _RUN_RE.findall(term):
            if _is_han(run):
                if len(run) >= MIN_TERM_CHARS:
                    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
                    term_parts.append(" <-> ".join(_quote(b) for b in bigrams))
                    han_runs.append(run)
            elif MIN_TERM_CHARS <= len(run) <= MAX_LATIN_WORD:
                term_parts.append(_quote(run) + ":*")
                latin.append(run)
        if term_parts:
            terms.append(term)
            parts.extend(f"({p})" for p in term_parts)
    # A run inside a longer run of the query is matched by the longer one.
    runs = [r for r in dict.fromkeys(han_runs) if not any(r != other and r in other for other in han_runs)]
    bigrams = [r for r in runs if len(r) == 2]
    ngrams, size = [], NGRAM_SIZES[-1]
    for run in runs:
        if len(run) in NGRAM_SIZES:
            ngrams.append(run)
        elif len(run) > size:
            ngrams.extend(run[i : i + size] for i in range(len(run) - size + 1))
    ngrams = list(dict.fromkeys(ngrams))
    latin = list(dict.fromkeys(latin))
    prefixes = [_quote(w) + ":*" for w in latin]
    return ParsedQuery(
        terms=tuple(dict.fromkeys(terms)),
        tsquery=" & ".join(dict.fromkeys(parts)),
        vector_tsquery=" & ".join([*(_quote(b) for b in bigrams), *prefixes]),
        ngram_tsquery=" & ".join(_quote(g) for g in ngrams),
        checked_runs=tuple(r for r in runs if len(r) > NGRAM_SIZES[-1]),
        han_runs=tuple(runs),
        latin_tsquery=" & ".join(prefixes),
        lexemes=(*bigrams, *ngrams),
    )


UNINDEXED_MATCH = "intel_search_unindexed"  # a Query attribute (kept by clone()): see _SearchMatch
CANDIDATES_ONLY = "intel_search_candidates"  # the same: the index's answer alone, see _CheckedAfterSort
MATCHED_ALREADY = "intel_search_matched"  # the same: rows read by the ids of matches, see _CheckedAfterSort


class _Match(Func):
    """``search_vector @@ q``: the GIN index serves it (used for the long-document marker)."""

    output_field = BooleanField()
    template = "(%(expressions)s::tsquery)"
    arg_joiner = " @@ "


def _matches(tsquery: str) -> _Match:
    return _Match(F("search_vector"), Value(tsquery))


class _SearchMatch(Func):
    """The match of a parsed query, written so that no row's vector is read.

    Indexed (the count, the ranked page, the bitmap order)::

        search_vector @@ '集采' AND search_ngrams @@ '市场的检' AND search_text LIKE '%的检测速度%'

    One GIN index holds both vectors (migration 0008), so the two ``@@`` are one index scan, and
    its answer is exact: GIN keeps no positions, and no positions are asked. Only a run of five
    or more characters is checked on the row, on ``search_text`` (the normalised text), among
    the few reports that hold all its 4-grams. Bigram phrases checked on the vector's positions
    (stored out of line, several kB a row) took 372 ms for 市场的检 and up to 560 ms for 的检测速度
    at 100,000 reports, both terms of common bigrams that rarely sit next to each other.

    In a query marked with :data:`UNINDEXED_MATCH` (the newest-first walk of the date index, see
    :func:`report_order`) it is written with no ``@@``, which no index serves: every Han run as a
    substring of ``search_text``, written ``strpos(search_text, run) > 0``, and only the Latin
    prefixes, if any, as ``ts_match_vq(search_vector, q)``, checked after the text. Neither has a
    selectivity estimator (``LIKE`` and even ``textlike()`` have one: for a pattern it finds in
    none of its sampled rows it guessed 10 rows of 100,000 and read every row's text, 1.3 s,
    instead of walking the date index until a page was full).
    """

    output_field = BooleanField()

    def __init__(self, parsed: ParsedQuery):
        super().__init__(F("search_vector"), F("search_ngrams"), F("search_text"))
        self.parsed = parsed

    def as_sql(self, compiler, connection, **extra_context):
        (vector, vector_params), (ngrams, ngram_params), (text, text_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        parsed = self.parsed
        sql, params = [], []
        if getattr(compiler.query, MATCHED_ALREADY, False):
            return "TRUE", []
        if getattr(compiler.query, UNINDEXED_MATCH, False):
            for run in parsed.han_runs:
                sql.append(f"strpos({text}, %s) > 0")
                params += [*text_params, run]
            if parsed.latin_tsquery:
                sql.append(f"ts_match_vq({vector}, %s::tsquery)")
                params += [*vector_params, parsed.latin_tsquery]
        else:
            if parsed.vector_tsquery:
                sql.append(f"{vector} @@ %s::tsquery")
                params += [*vector_params, parsed.vector_tsquery]
            if parsed.ngram_tsquery:
                sql.append(f"{ngrams} @@ %s::tsquery")
                params += [*ngram_params, parsed.ngram_tsquery]
            checked = () if getattr(compiler.query, CANDIDATES_ONLY, False) else parsed.checked_runs
            for run in checked:  # Han characters only: nothing to escape for LIKE
                sql.append(f"{text} LIKE %s")
                params += [*text_params, f"%{run}%"]
        return "(" + " AND ".join(sql) + ")", params


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
    the main condition stays ``<match> OR id IN (…)``, index conditions only. The GIN answer of
    the match (the AND of bigrams, n-grams and prefixes) is exact, and only a run of five or more
    characters is checked on ``search_text``: no row's vector is read (:class:`_SearchMatch`).
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
    condition = Q(_SearchMatch(parsed))
    if long_ids:
        condition |= Q(pk__in=long_ids)
    return queryset.filter(condition)


def report_count(*, queryset: QuerySet, parsed: ParsedQuery | None = None) -> int:
    """How many reports match, counted up to COUNT_LIMIT + 1 (more means "more than COUNT_LIMIT").

    An exact count of a frequent term reads every matching row (for "集采" over 100,000 reports:
    70,000 heap rows); a capped count stops early.

    Given ``parsed``, a term in a middling share of the reports (:func:`_count_from_bitmap`) is
    counted from the GIN bitmap alone: sequential and plain index scans are switched off for
    that one query, in a transaction (or savepoint) that is rolled back, so the settings end
    with it. PostgreSQL otherwise scans the table until 201 rows pass the ``@@`` filter, which
    reads each row's vector: it does not price that. For 上市预计 (5.7 % of 100,000 reports) it
    read 3,700 vectors, 27 ms; its bitmap answers in 2 ms. For a frequent term the scan stops
    after a few hundred rows and beats building a bitmap of 70,000 (集采: 3.4 against 6.9 ms),
    and for a rare one PostgreSQL chooses the bitmap itself.
    """
    capped = queryset.order_by()[: COUNT_LIMIT + 1]
    if parsed is None or not is_postgresql() or not _count_from_bitmap(parsed):
        return capped.count()
    with transaction.atomic(using=queryset.db):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)"
            )
        count = capped.count()
        transaction.set_rollback(True, using=queryset.db)  # nothing was written: ends the settings
    return count


# Counted from the GIN bitmap below this estimated share of matching reports (see report_count).
COUNT_BITMAP_SHARE = 0.3


def _count_from_bitmap(parsed: ParsedQuery) -> bool:
    """Whether the reports holding every lexeme of ``parsed`` are, by pg_stats, a share between
    the rarest lexeme pg_stats lists and COUNT_BITMAP_SHARE (the lexemes taken as independent,
    as PostgreSQL takes them). A lexeme pg_stats does not list is rare: PostgreSQL estimates few
    rows and reads the bitmap by itself. A Latin prefix is left to PostgreSQL.
    """
    shares = _lexeme_shares(parsed)
    return shares is not None and 0.0 < math.prod(shares) < COUNT_BITMAP_SHARE


def report_order(*, queryset: QuerySet, parsed: ParsedQuery, count: int) -> QuerySet:
    """Best first: ``ts_rank`` (title above body) when at most RANK_LIMIT match, else newest first.

    Newest first has two plans. Walking the date index checks every row it passes until a page
    is full: quick for a frequent term, slow for one in a few hundred rows (it passes thousands).
    Sorting the GIN bitmap's rows reads no vector (the GIN match is exact, see
    :class:`_SearchMatch`): quick unless the term is frequent. PostgreSQL's own estimate cannot
    tell them apart (it does not price reading a vector), so the date index is hidden from a
    query without Latin prefixes whose rarest lexeme (bigram or n-gram) is in fewer than
    :data:`BITMAP_ORDER_SHARE` of the reports by pg_stats (:func:`_bitmap_order_is_cheaper`).

    Otherwise a query with a phrase walks the date index whatever PostgreSQL estimates: it cannot
    tell how many candidates hold the characters in a row (for "上市预计" it guessed 93 of 1,759
    with bigrams). The page query is marked :data:`UNINDEXED_MATCH`: its match is written on
    ``search_text`` alone (see :class:`_SearchMatch`), which no index serves, so the walk checks
    the text of the rows it passes (about 25 / share of visible rows matching), never their
    vectors; the count keeps the GIN index.
    """
    if is_postgresql() and parsed and count <= RANK_LIMIT:
        return queryset.annotate(search_rank=_rank(parsed.tsquery)).order_by("-search_rank", "-reported_on", "-id")
    if is_postgresql() and parsed and _bitmap_order_is_cheaper(parsed):
        if parsed.checked_runs:
            return _CheckedAfterSort(queryset=queryset, parsed=parsed)
        return queryset.order_by(_NOT_INDEXED_DATE.desc(), "-id")
    if is_postgresql() and parsed and parsed.has_phrase:
        walking = queryset.all()
        setattr(walking.query, UNINDEXED_MATCH, True)
        return walking.order_by("-reported_on", "-id")
    return queryset.order_by("-reported_on", "-id")


_NOT_INDEXED_DATE = Func(F("reported_on"), template="(%(expressions)s + 0)", output_field=DateField())


class _CheckedAfterSort:
    """Newest first for a query with a run of five or more characters whose candidates are few.

    The GIN rows are sorted by date without reading any text, then the text of each is checked
    in that order only until the page is full::

        SELECT c.id FROM (<candidates, newest first> OFFSET 0) AS c
        WHERE c.search_text LIKE '%河南省免疫分析仪%' LIMIT 25 OFFSET 0

    ``OFFSET 0`` keeps PostgreSQL from moving the check into the scan, where it checked every
    candidate (4,701 texts for 河南省免疫分析仪 at 100,000 reports: 61 ms), and the date is sorted
    as ``reported_on + 0``, so the candidates are not found by walking the date index, which
    would read each row's vector. The page's reports are then read by id, within the same
    queryset (visibility and filters kept, the match written ``TRUE``): one query more.

    It is what the paginator slices; iterating it gives every match.
    """

    def __init__(self, *, queryset: QuerySet, parsed: ParsedQuery):
        self.queryset = queryset
        self.parsed = parsed

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        candidates = self.queryset.all()
        setattr(candidates.query, CANDIDATES_ONLY, True)
        inner = candidates.order_by(_NOT_INDEXED_DATE.desc(), "-id").values("id", "search_text")
        sql, params = inner.query.sql_with_params()
        checks = " AND ".join("c.search_text LIKE %s" for _run in self.parsed.checked_runs)
        limit = "" if stop is None else f" LIMIT {max(0, int(stop) - int(start))}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT c.id FROM ({sql} OFFSET 0) AS c WHERE {checks}{limit} OFFSET {int(start)}",  # noqa: S608
                [*params, *(f"%{run}%" for run in self.parsed.checked_runs)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return []
        page = self.queryset.filter(pk__in=ids).order_by()
        setattr(page.query, MATCHED_ALREADY, True)  # found above: not matched again
        reports = {report.pk: report for report in page}
        return [reports[pk] for pk in ids if pk in reports]

    def __iter__(self):
        return iter(self[0:None])


_COMMON_LEXEMES: dict = {"at": None, "lexemes": {}}  # "at": time.monotonic() of the last read
COMMON_LEXEMES_SECONDS = 600
# Newest first sorts the GIN rows when the query's rarest lexeme is in fewer than this share of the
# reports, and walks the date index otherwise. Sorting costs a heap row per candidate; walking
# checks the text of about 25 / share rows. At 100,000 reports they meet at about 3 %.
BITMAP_ORDER_SHARE = 0.03
# The same for a query with a run of five or more characters. Its walk checks more rows than the
# lexemes' shares say (all the 4-grams of 氏近期在宁 are each in 3 % of the reports or more, the run
# in 0.5 %: 6,330 texts read, 47 ms), while its sort (_CheckedAfterSort) reads a heap row per
# candidate and the text only until the page is full: at 15 % of 100,000 reports about 30 ms.
BITMAP_ORDER_SHARE_CHECKED = 0.15


def _common_lexemes() -> dict[str, float]:
    """The most common elements of ``search_vector`` and ``search_ngrams`` in pg_stats, each with
    the share of the reports holding it, read at most every 10 minutes.

    Migration 0008 sets both columns' statistics target to 1,000: pg_stats then lists about 10,000
    lexemes, down to about 0.4 % of the reports at 100,000 (with 100 it listed 1,000, down to 9 %).
    """
    now = time.monotonic()
    # Not "now - 0.0 > 600": time.monotonic() may start near zero at boot, which hid pg_stats for
    # the first 10 minutes of uptime (every frequent term then sorted its whole GIN bitmap).
    if _COMMON_LEXEMES["at"] is None or now - _COMMON_LEXEMES["at"] > COMMON_LEXEMES_SECONDS:
        from apps.intel.models import IntelReport

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = %s AND attname IN (%s, %s)",
                [IntelReport._meta.db_table, "search_vector", "search_ngrams"],
            )
            rows = cursor.fetchall()
        lexemes = {}
        for elements, frequencies in rows:
            # One share per element, then the lowest, the highest and the share of nulls: zip stops.
            lexemes.update(zip(elements or [], frequencies or [], strict=False))
        _COMMON_LEXEMES.update(at=now, lexemes=lexemes)
    return _COMMON_LEXEMES["lexemes"]


def _bitmap_order_is_cheaper(parsed: ParsedQuery) -> bool:
    """Whether the query's rarest lexeme is in fewer than BITMAP_ORDER_SHARE(_CHECKED) of the reports.

    A lexeme pg_stats does not list is rarer than any it lists. A query with a Latin prefix never
    sorts the GIN rows: how many words a prefix opens is unknown.
    """
    shares = _lexeme_shares(parsed)
    if shares is None:
        return False
    return min(shares) < (BITMAP_ORDER_SHARE_CHECKED if parsed.checked_runs else BITMAP_ORDER_SHARE)


def _lexeme_shares(parsed: ParsedQuery) -> list[float] | None:
    """The share of the reports holding each lexeme of ``parsed`` by pg_stats (0 when not listed),
    or None for a query whose spread cannot be told: one with a Latin prefix, or no lexeme."""
    if parsed.latin_tsquery or not parsed.lexemes:
        return None
    common = _common_lexemes()
    return [common.get(lexeme, 0.0) for lexeme in parsed.lexemes]


def report_search(*, queryset: QuerySet, query: str) -> QuerySet:
    """Return ``queryset`` narrowed to reports matching ``query``, best first.

    ``queryset`` must already be narrowed to what the user may see (``visible_to``, live).
    """
    parsed = query_parse(query)
    matched = report_match(queryset=queryset, parsed=parsed)
    count = report_count(queryset=matched, parsed=parsed) if parsed and is_postgresql() else 0
    return report_order(queryset=matched, parsed=parsed, count=count)


# ---------------------------------------------------------------------------------------------
# Writing the index


def _rows_update(rows: list[tuple[int, str, str, str]]) -> None:
    """Write ``(pk, search_text, vector literal, n-gram literal)`` rows in one statement."""
    from apps.intel.models import IntelReport

    if not rows:
        return
    table = connection.ops.quote_name(IntelReport._meta.db_table)
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS r SET search_text = v.t, search_vector = v.v::tsvector, "  # noqa: S608
                "search_ngrams = v.n::tsvector "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS v(id, t, v, n) WHERE r.id = v.id",
                [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows]],
            )
        return
    for pk, text, _vector, _ngrams in rows:
        IntelReport.objects.filter(pk=pk).update(search_text=text)


def _document(*, title: str, body: str, attachment_texts: list[str]) -> tuple[str, str, str]:
    """``(search_text, search_vector literal, search_ngrams literal)`` of a report.

    A document whose n-grams were cut short is marked partial like one whose positions were:
    the long-document arm of :func:`report_match` then finds it by its text.
    """
    parts = [body, *attachment_texts]
    text = document_text(title=title, parts=parts)
    ngrams, partial = document_ngrams(text)
    return text, document_vector(title=title, parts=parts, partial=partial), ngrams


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
    text, vector, ngrams = _document(title=report.title, body=report.body, attachment_texts=[t for t in texts if t])
    _rows_update([(report.pk, text, vector, ngrams)])
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
            rows.append((pk, *_document(title=title, body=body, attachment_texts=attachments.get(pk, []))))
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
