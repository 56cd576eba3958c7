"""Streamlit glue shared by the entry and the pages: language, sidebar filters bound to the URL,
cached queries, and the one place every chart and table is shown (with its downloads)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cockpit import auth
from cockpit.export_ui import chart_downloads
from reporting import charts, db, frames, queries
from reporting.i18n import LANG_LABELS, LANGS, t
from reporting.safe_text import from_plotly, markdown_literal
from security.audit import ACCESS_REFUSED, DRILLDOWN

FILTERS_KEY = "_filters"
URL_NOTICE_KEY = "_url_notice"
URL_NOTICE_SHOWN_WITH = "_url_notice_filters"   # the filters the notice was first shown with
SCOPE_NOTICE_KEY = "_scope_notice"               # URL values outside the account's subdistrict, refused
# Widget keys double as URL query-parameter names (bind="query-params").
LANG, SUBDISTRICT, COMMUNITY, YEAR, COMPARE = "lang", "subdistrict", "community", "year", "compare"
DISTRICT = ""   # the 街道 selector's option for the whole district (全区)
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


@dataclass(frozen=True)
class Filters:
    """The filters of this run. `subdistrict` is what every query of the pages takes (queries' module
    docstring): a 街道 name, or None for the whole warehouse (the district when it holds several
    subdistricts, else its only one). `subdistricts` are the subdistricts this user may see: every one
    of the warehouse for a district account, only its own for an account limited to one
    (`auth.current_user().subdistrict`)."""
    lang: str
    communities: tuple[str, ...]       # community ids; () = the whole subdistrict (or district)
    community_names: tuple[str, ...]
    year: int
    compare_year: int | None
    years_with_data: tuple[int, ...]
    subdistrict: str | None = None
    subdistricts: tuple[str, ...] = ()

    @property
    def district(self) -> bool:
        """The whole district of several subdistricts (全区) is in view."""
        return self.subdistrict is None and len(self.subdistricts) > 1

    def place(self) -> str:
        """The subdistrict in view, or 全区 / 全街道 (the whole warehouse)."""
        if self.subdistrict is not None:
            return self.subdistrict
        return t("scope_district" if self.district else "scope_whole", self.lang)

    def scope(self) -> str:
        return "、".join(self.community_names) if self.community_names else self.place()

    def describe(self) -> str:
        """The filters in force, in words (shown on the page and carried into every export)."""
        if self.compare_year is None:
            return t("scope_line", self.lang, scope=self.scope(), year=self.year)
        return t("scope_line_compare", self.lang, scope=self.scope(), year=self.year, compare=self.compare_year)

    @property
    def has_data(self) -> bool:
        return self.year in self.years_with_data


# --- database and cached queries ------------------------------------------------------------

@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, stamp: db.Stamp) -> duckdb.DuckDBPyConnection:
    # One read-only connection per published file; the stamp in the key retires the old one.
    return db.connect(Path(path))


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(name: str, path: str, stamp: db.Stamp, args: tuple, kwargs: tuple) -> pd.DataFrame | Any:
    cursor = _connection(path, stamp).cursor()   # a cursor per call: connections aren't shared across threads
    try:
        return getattr(queries, name)(cursor, *args, **dict(kwargs))
    finally:
        cursor.close()


def query(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Run a function of reporting.queries through the cache; the database's stamp is in the key,
    so a newly published file is read without restarting the app."""
    path = db.db_path()
    return _cached(fn.__name__, str(path), db.stamp(path), args, tuple(sorted(kwargs.items())))


def database_ready(lang: str) -> bool:
    """True when the database can be read; otherwise a plain message (no traceback) and False."""
    path = db.db_path()
    try:
        db.stamp(path)
        query(queries.years_with_data)
    except db.DatabaseMissing:
        st.error(t("db_missing", lang, path=path), icon=":material/database:")
        return False
    except duckdb.Error as exc:
        st.error(t("db_unreadable", lang, path=path, error=exc), icon=":material/database:")
        return False
    return True


@st.cache_data(max_entries=1024, show_spinner=False)
def _shaped(name: str, args: tuple, kwargs: tuple) -> Any:
    return getattr(frames, name)(*args, **dict(kwargs))


def shape(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Run a function of reporting.frames (queried frames → the frame a chart or table takes)
    through the cache, keyed on its inputs."""
    return _shaped(fn.__name__, args, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=512, show_spinner=False)
def _figure_json(builder: str, data: pd.DataFrame, args: tuple, kwargs: tuple) -> dict:
    return getattr(charts, builder)(data, *args, **dict(kwargs)).to_plotly_json()


def chart(builder: Callable, data: pd.DataFrame, *args: Any, **kwargs: Any) -> go.Figure | None:
    """`builder(data, *args, **kwargs)` cached on its inputs: building plotly figures (validation,
    subplots) is the slowest step of a page run, rebuilding from the cached dict is not.

    None for empty `data`: `show_chart` then says in words that there is no data."""
    if data is None or data.empty:
        return None
    spec = _figure_json(builder.__name__, data, args, tuple(sorted(kwargs.items())))
    return go.Figure(spec, _validate=False)   # the builder's figure was validated when it was built


def compares_subdistricts() -> bool:
    """Does 街道对比 have something to show this user: several subdistricts in the warehouse, and an
    account not limited to one of them? False when the database cannot be read (the entry says why)."""
    user = auth.current_user()
    if user is None or user.subdistrict is not None:
        return False
    try:
        return len(query(queries.subdistricts)) > 1
    except (db.DatabaseMissing, duckdb.Error):
        return False


# --- language and filters -------------------------------------------------------------------

def current_lang() -> str:
    lang = st.session_state.get(LANG, "zh")
    return lang if lang in LANGS else "zh"


def acting_user() -> str:
    """Who publishes or restores from this session, as recorded in the run history: the one place
    the app names its user for etl (the sign-in replaces how it is found)."""
    user = auth.current_user()
    return user.name if user else "anonymous"


def _note_unknown_url_values(valid: dict[str, list[str]], known: set[str] = frozenset()) -> None:
    """Remember URL values no widget will accept (Streamlit drops them silently) to say so; `known`
    are `key=value` items already said otherwise (refused as outside the account's subdistrict).

    Checked once per key and session, before the widget reads the URL on its first run.
    """
    checked = st.session_state.setdefault("_url_checked", set())
    unknown = []
    for key, options in valid.items():
        if key in checked:
            continue
        checked.add(key)
        unknown += [f"{key}={value}" for value in st.query_params.get_all(key)
                    if value and value not in options and f"{key}={value}" not in known]
    if unknown:
        st.session_state[URL_NOTICE_KEY] = st.session_state.get(URL_NOTICE_KEY, []) + unknown
        st.session_state.pop(URL_NOTICE_SHOWN_WITH, None)


def language_switch(where: Any = None) -> str:
    """The zh/en switch, first in the sidebar (or `where`: the sign-in form has no sidebar) so
    everything after it is in the chosen language."""
    _note_unknown_url_values({LANG: list(LANG_LABELS.values())})
    with where or st.sidebar:
        st.radio("语言 / Language", LANGS, format_func=LANG_LABELS.get, horizontal=True,
                 key=LANG, bind="query-params")
    return current_lang()


def year_options(years_with_data: list[int], today: date) -> list[int]:
    """Years offered, newest first: one before the first year with data up to this year (so a year
    without data can be chosen and is said to be empty)."""
    if not years_with_data:
        return [today.year]
    return list(range(max(max(years_with_data), today.year), min(years_with_data) - 2, -1))


def subdistrict_label(option: str, lang: str) -> str:
    return t("scope_district", lang) if option == DISTRICT else option


def _refuse_out_of_scope(scope: str, own: list[str], others: list[str], lang: str) -> set[str]:
    """An account limited to `scope`: URL values naming another subdistrict, or a community of another
    (`others`), are refused — noted for the page and audited once per session. Returns them as
    `key=value` (the unknown-value notice leaves them to this one)."""
    checked = st.session_state.setdefault("_scope_checked", set())
    refused = []
    if SUBDISTRICT not in checked:
        checked.add(SUBDISTRICT)
        refused += [f"{SUBDISTRICT}={v}" for v in st.query_params.get_all(SUBDISTRICT) if v and v != scope]
    if COMMUNITY not in checked:
        checked.add(COMMUNITY)
        refused += [f"{COMMUNITY}={v}" for v in st.query_params.get_all(COMMUNITY) if v in others and v not in own]
    if refused:
        st.session_state[SCOPE_NOTICE_KEY] = st.session_state.get(SCOPE_NOTICE_KEY, []) + refused
        st.session_state.pop(URL_NOTICE_SHOWN_WITH, None)
        auth.record(ACCESS_REFUSED, object="subdistrict", outcome="refused",
                    detail={"scope": scope, "requested": refused})
    return set(refused)


def _choose_subdistrict(lang: str, scope: str | None, known: list[str], refused: set[str]) -> str | None:
    """The 街道 selector (bound to the URL) when the warehouse holds several subdistricts: 全区 and
    each one; fixed to its own for an account limited to one. Returns the subdistrict, None = 全区."""
    if scope is None and len(known) <= 1:
        return None                               # one subdistrict: no selector, as before issue 13
    options = [scope] if scope is not None else [DISTRICT, *known]
    _note_unknown_url_values({SUBDISTRICT: [subdistrict_label(o, lang) for o in options]}, known=refused)
    help_text = t("subdistrict_fixed_help" if scope is not None else "subdistrict_help", lang)
    chosen = st.sidebar.selectbox(t("subdistrict", lang), options, key=SUBDISTRICT, bind="query-params",
                                  format_func=lambda o: subdistrict_label(o, lang), help=help_text,
                                  disabled=scope is not None)
    if scope is not None:
        return scope      # the widget has no other option; never anything but the account's own
    return None if chosen in (None, DISTRICT) else chosen


def sidebar_filters(lang: str) -> Filters:
    """街道 (when there are several), community, year and compare-with year in the sidebar, bound to the
    URL; stored for pages. An account limited to one subdistrict sees only it (checked here, on the
    server: a link naming another subdistrict or one of its communities is refused and audited)."""
    user = auth.current_user()
    scope = user.subdistrict if user is not None else None
    known = query(queries.subdistricts)
    everyone = query(queries.communities)
    years = query(queries.years_with_data)
    options = year_options(years, date.today())
    default_year = years[-1] if years else options[0]
    refused: set[str] = set()
    if scope is not None:
        own = everyone[everyone["subdistrict"] == scope]["name"].tolist()
        refused = _refuse_out_of_scope(scope, own, everyone["name"].tolist(), lang)
    with st.sidebar:
        st.subheader(t("filters", lang))
    subdistrict = _choose_subdistrict(lang, scope, known, refused)
    # Communities of the subdistrict in view; none for 全区 (a province's would be thousands).
    pick_communities = not (subdistrict is None and scope is None and len(known) > 1)
    community_table = query(queries.communities, subdistrict) if pick_communities else everyone.iloc[0:0]
    names = community_table["name"].tolist()
    ids = dict(zip(community_table["name"], community_table["community_id"]))
    _note_unknown_url_values({COMMUNITY: names, YEAR: [str(y) for y in options],
                              COMPARE: [str(y) for y in options]}, known=refused)
    with st.sidebar:
        chosen = st.multiselect(t("community", lang), names, key=COMMUNITY, bind="query-params",
                                placeholder=t("community_placeholder" if pick_communities else
                                              "community_pick_subdistrict", lang),
                                help=t("community_help", lang), select_all=False, disabled=not pick_communities)
        year = st.selectbox(t("year", lang), options, index=options.index(default_year), key=YEAR,
                            bind="query-params")
        compare = st.selectbox(t("compare_year", lang), options, index=None, key=COMPARE,
                               placeholder=t("compare_none", lang), bind="query-params")
    chosen = [n for n in chosen if n in ids]
    filters = Filters(lang=lang, communities=tuple(ids[n] for n in chosen), community_names=tuple(chosen),
                      year=int(year), compare_year=None if compare is None else int(compare),
                      years_with_data=tuple(years), subdistrict=subdistrict,
                      subdistricts=(scope,) if scope is not None else tuple(known))
    st.session_state[FILTERS_KEY] = filters
    return filters


def filters() -> Filters:
    """The filters the entry set for this run (checked again against the account's subdistrict)."""
    f = st.session_state[FILTERS_KEY]
    user = auth.current_user()
    if user is not None and user.subdistrict is not None and f.subdistrict != user.subdistrict:
        auth.require_subdistrict(f.subdistrict)   # the sidebar offers nothing else; refuse and stop if it happens
    return f


def app_title(f: Filters) -> str:
    """The browser tab's title: the subdistrict in view; for 全区 the district's name from the
    communities list (区), else 全区."""
    place = f.subdistrict or (f.subdistricts[0] if len(f.subdistricts) == 1 else None)
    if place is None and f.subdistricts:
        districts = query(queries.districts)
        place = districts[0] if len(districts) == 1 else t("scope_district", f.lang)
    return t("app_title", f.lang, place=place or "").strip()


def url_notice(f: Filters) -> None:
    """Say which URL values were ignored, until the user changes a filter."""
    lang = f.lang
    unknown = st.session_state.get(URL_NOTICE_KEY)
    refused = st.session_state.get(SCOPE_NOTICE_KEY)
    shown_with = st.session_state.setdefault(URL_NOTICE_SHOWN_WITH, f)
    if (unknown or refused) and shown_with != f:
        st.session_state.pop(URL_NOTICE_KEY, None)
        st.session_state.pop(SCOPE_NOTICE_KEY, None)
        return
    separator = "、" if lang == "zh" else ", "
    if refused:   # from the URL: anyone can write a link, so shown as literal text
        st.error(t("scope_refused", lang, scope=markdown_literal(f.place()),
                   items=separator.join(markdown_literal(item) for item in refused)), icon=":material/block:")
    if unknown:
        st.warning(t("url_ignored", lang, items=separator.join(markdown_literal(item) for item in unknown)),
                   icon=":material/link_off:")


# --- page furniture -------------------------------------------------------------------------

def page_header(title: str, f: Filters) -> None:
    st.title(title)
    st.caption(f.describe())


def data_source_text(lang: str, *, with_run: bool = True) -> str:
    """What the data is built from: label, sample or real, load time (etl_runs), and the run id unless
    `with_run` is False (a page header: `run_help` keeps it in a tooltip)."""
    run = query(queries.latest_run)
    if not run:
        return t("built_from_unknown", lang)
    kind = "sample" if run.get("dataset_kind") == "sample" else "real"
    finished = run.get("finished_at")
    time = pd.Timestamp(finished).strftime("%Y-%m-%d %H:%M") if finished is not None and not pd.isna(finished) else "—"
    return t("built_from" if with_run else "built_from_short", lang, kind=t(f"kind_{kind}", lang), time=time,
             run=run.get("run_id", ""))


def run_help(lang: str) -> str | None:
    """The tooltip that names the data's run (数据与质量 lists the runs)."""
    run = query(queries.latest_run)
    return t("run_id_help", lang, run=run["run_id"]) if run and run.get("run_id") else None


def sample_banner(lang: str) -> None:
    """On every page while the data is the sample, so a screenshot cannot pass for real figures."""
    if is_sample():
        st.warning(t("sample_banner", lang), icon=":material/science:")


def is_sample() -> bool:
    run = query(queries.latest_run)
    return bool(run) and run.get("dataset_kind") == "sample"


def dataset_label(lang: str) -> str:
    """The data folder's own description (dataset.json); the ETL stores the Chinese label."""
    run = query(queries.latest_run) or {}
    label = run.get("dataset_label")
    return label if lang == "zh" and label else t("sample_warning", lang)


def no_data(lang: str, title: str | None = None) -> None:
    st.info(t("no_data_chart", lang, title=title) if title else t("no_data", lang), icon=":material/info:")


def _meta(title: str, name: str, f: Filters, columns: dict[str, str] | None) -> dict:
    meta = {"title": title, "filters": f.describe(), "source": data_source_text(f.lang), "lang": f.lang,
            "name": name, "sample": is_sample()}
    if columns:
        meta["columns"] = columns
    return meta


def show_chart(fig: go.Figure | None, data: pd.DataFrame, title: str, name: str, f: Filters, *,
               columns: dict[str, str] | None = None, selectable: bool = False) -> Any:
    """Show one chart with its title and download menu (images + the data behind it).

    Empty `data` shows a sentence instead of an empty axis. With `selectable`, clicking a bar
    selects it and the selection is returned (for drill-down to records).
    """
    st.markdown(f"**{title}**")
    if data is None or data.empty or fig is None:
        no_data(f.lang, title)
        return None
    event = st.plotly_chart(fig, key=f"chart_{name}", config=PLOTLY_CONFIG,
                            on_select="rerun" if selectable else "ignore",
                            selection_mode=("points",) if selectable else ("points", "box", "lasso"))
    chart_downloads(fig, data, _meta(title, name, f, columns))
    return event


# A phone (Streamlit stacks columns below 640 px too): the narrow layout of a table instead of the wide one.
_NARROW_CSS = ("<style>@media (min-width: 641px) {[class*='st-key-narrow-table-']{display:none}}"
               "@media (max-width: 640px) {[class*='st-key-wide-table-']{display:none}}</style>")
# The first column's width in the narrow layout: what is left of a 390 px screen after 状态 and 目标.
NARROW_FIRST_WIDTH = {"zh": 176, "en": 128}


def show_table(data: pd.DataFrame, title: str, name: str, f: Filters, *,
               columns: dict[str, str] | None = None, height: int | str = "auto",
               column_config: dict | None = None, narrow: tuple[str, ...] = ()) -> None:
    """Show one table with its title and CSV/XLSX download; `columns` renames to display headers.

    `narrow` names display columns a phone must see: on a narrow screen the table is shown with them
    right after the first column, which is pinned at a set width (its text may end in "…"), so they
    are on the screen rather than off its right edge; a wider screen shows the table as it is."""
    if title:
        st.markdown(f"**{title}**")
    if data is None or data.empty:
        no_data(f.lang, title or None)
        return
    shown = data.rename(columns=columns) if columns else data
    if not narrow:
        st.dataframe(shown, hide_index=True, height=height, column_config=column_config, width="stretch")
    else:
        st.html(_NARROW_CSS)
        with st.container(key=f"wide-table-{name}"):
            st.dataframe(shown, hide_index=True, height=height, column_config=column_config, width="stretch")
        first, *rest = shown.columns
        order = [first, *[c for c in narrow if c in rest], *[c for c in rest if c not in narrow]]
        pinned = {first: st.column_config.Column(pinned=True, width=NARROW_FIRST_WIDTH.get(f.lang, 128))}
        with st.container(key=f"narrow-table-{name}"):
            st.dataframe(shown, hide_index=True, height=height, column_order=order,
                         column_config={**(column_config or {}), **pinned}, width="stretch")
    chart_downloads(None, shown, _meta(title, name, f, None))


def show_indicator_table(data: pd.DataFrame, title: str, name: str, f: Filters) -> None:
    """An indicator table (frames.indicator_table, frames.compare_table): on a phone its 状态, 目标 and
    数值 follow the indicator's name."""
    show_table(data, title, name, f, narrow=(t("status", f.lang), t("target", f.lang), t("value", f.lang)))


def selected_point(event: Any) -> dict | None:
    """The first clicked point of a chart selection event, or None."""
    if not event:
        return None
    points = event.get("selection", {}).get("points", []) if isinstance(event, dict) else event.selection.points
    if not points:
        return None
    # Labels were escaped for plotly (reporting.safe_text); filters need the records' own text.
    return {key: from_plotly(value) for key, value in points[0].items()}


def community_click(point: dict | None, axis: str = "x") -> tuple[dict | None, str | None]:
    """The records filter and its label for a clicked bar of a by-community chart; the bar of
    街道本级 matches no community's name and selects the records without a community."""
    if not point:
        return None, None
    name = point.get(axis)
    table = query(queries.communities, filters().subdistrict)
    return {"community_id": dict(zip(table["name"], table["community_id"])).get(name)}, name


# --- indicators -----------------------------------------------------------------------------

_BADGE = {"green": "green", "amber": "orange", "red": "red", "no_data": "gray", "none": "blue"}


NO_COLOUR = "no_community_target"   # a community without a community target: words, no colour


def status_badge(status: str, lang: str) -> str:
    """Markdown badge of a red/amber/green status, in words (not colour alone)."""
    if status == NO_COLOUR:
        return t(f"status_{status}", lang)
    status = status if status in _BADGE else "none"
    return f":{_BADGE[status]}-badge[{t(f'status_{status}', lang)}]"


def status_chip(text: str, status: str) -> str:
    """Markdown chip of `text` (shown as written) in its status colour; plain text without one."""
    if status == NO_COLOUR:
        return markdown_literal(text)
    return f":{_BADGE.get(status, 'blue')}-badge[{markdown_literal(text)}]"


# --- records behind a figure ----------------------------------------------------------------

def records_drill(f: Filters, indicators: pd.DataFrame, key: str, *, extra: dict | None = None,
                  extra_label: str | None = None) -> None:
    """Pick an indicator, see the records its value is computed from (source file and row)."""
    ids = indicators["indicator_id"].tolist()
    if not ids:
        return
    names = frames.indicator_names(indicators, f.lang)
    st.markdown(f"**{t('records', f.lang)}**")
    indicator_id = st.selectbox(t("records_pick", f.lang), ids, format_func=names.get, key=f"drill_{key}")
    record_type = queries.drill_for(indicator_id).record_type
    # A clicked bar narrows only records that have its field (a reported figure has no domain).
    applicable = {k: v for k, v in (extra or {}).items() if k in queries.record_columns(record_type)}
    if extra_label and applicable:
        st.caption(t("selected_filter", f.lang, value=markdown_literal(extra_label)))
    records = query(queries.records_behind, indicator_id, f.year, f.communities, extra=applicable or None,
                    subdistrict=f.subdistrict)
    # The audit trail notes which records were looked at: once per selection, not on every rerun.
    drilled = {"indicator": indicator_id, "year": f.year, "subdistrict": f.place(),
               "communities": list(f.community_names),
               "selected": {k: str(v) for k, v in applicable.items()}, "rows": len(records)}
    if st.session_state.get(f"_drilled_{key}") != drilled:
        st.session_state[f"_drilled_{key}"] = drilled
        auth.record(DRILLDOWN, object=indicator_id, detail=drilled)
    title = t("records_of", f.lang, name=markdown_literal(names[indicator_id]), year=f.year)   # names may be imported
    if record_type == "reported_values" and not records.empty:
        st.caption(t("records_reported", f.lang))
    if records.empty and record_type != "reported_values":   # a year without records, filled from a report
        records = query(queries.published_behind, indicator_id, f.year, f.communities, subdistrict=f.subdistrict)
        if not records.empty:
            record_type = "reported_values"
            st.caption(t("records_published", f.lang))
    if len(records) >= queries.DRILL_LIMIT:
        st.caption(t("records_truncated", f.lang, n=queries.DRILL_LIMIT))
    show_table(shape(frames.records_table, records, record_type, f.lang), title, f"records_{key}_{indicator_id}", f)
