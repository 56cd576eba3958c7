"""The annual rule-of-law government report, generated from the database as a draft to edit.

One content model (`build_content`) is read from the marts and reference tables, for one scope
(reporting.scope: the whole district, a subdistrict, or a community of it); the .docx and
the PDF (HTML printed by Chromium) are both rendered from it (`reporting.report_render`), so the two
never disagree. Sentences state only figures the database holds; a missing figure says 暂无数据
with the mart's reason. `build_bundle` zips the year's charts, data and report for evaluators.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

import duckdb
import pandas as pd
import plotly.graph_objects as go

from etl import schema
from reporting import export, queries, scores
from reporting.charts import indicators_against_target
from reporting.indicator_table import fallback_text, shown_numerator
from reporting.scope import Scope, ScopeError, resolve_scope

SECTION_TITLES = (
    "一、主要举措和成效",
    "二、存在的不足和原因",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "四、下一年度推进法治政府建设的主要安排",
    "五、其他需要说明的事项",
)
ANNEX_TITLE = "附件：指标一览表"
SAMPLE_WATERMARK = "示例数据 · 非真实数据"   # on every chart and page of a report made from the sample
STATUS_ZH = {"green": "达标", "amber": "预警", "red": "未达标", "no_data": "暂无数据", "none": "无目标",
             "no_community_target": "无社区目标"}
NUMERALS = "一二三四五六七八九十"
TREND_YEARS = 4  # the report year and the three before it


class ReportError(Exception):
    """The report cannot be made for the request (unknown subdistrict or community, no such year)."""


@dataclass(frozen=True)
class IndicatorFigure:
    indicator_id: str
    name: str
    unit: str
    kind: str
    area_id: str
    weak_area_id: str | None
    target: float | None
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str
    no_data_reason: str | None
    note: str | None
    previous_value: float | None
    target_note: str | None = None   # 沿用2021年目标: the targets are an earlier year's

    @property
    def has_value(self) -> bool:
        return self.value is not None

    @property
    def shown_numerator(self) -> float | None:
        """The numerator the annex shows: none for a mean (its numerator is a sum of scores)."""
        return shown_numerator(self.kind, self.numerator)

    @property
    def value_text(self) -> str:
        return with_unit(self.value, self.unit) if self.has_value else "暂无数据"

    @property
    def target_text(self) -> str:
        return with_unit(self.target, self.unit) if self.target is not None else "—"

    @property
    def previous_text(self) -> str:
        return with_unit(self.previous_value, self.unit) if self.previous_value is not None else "暂无数据"

    @property
    def change_text(self) -> str:
        """Change from last year, in the indicator's unit (percentage points for rates)."""
        if self.value is None or self.previous_value is None:
            return "—"
        diff = self.value - self.previous_value
        if diff == 0:
            return "持平"
        unit = {"%": "个百分点", "比值": ""}.get(self.unit, self.unit)
        return f"{'增加' if diff > 0 else '减少'}{number(abs(diff))}{unit}"

    @property
    def status_text(self) -> str:
        return STATUS_ZH.get(self.status, self.status)


@dataclass(frozen=True)
class Chart:
    name: str          # file-name stem in the bundle
    title: str
    figure: go.Figure
    png: bytes | None  # None when Chromium is missing


@dataclass(frozen=True)
class AreaSection:
    area_id: str
    title: str
    sentences: tuple[str, ...]
    indicators: tuple[IndicatorFigure, ...]
    chart: Chart | None


@dataclass(frozen=True)
class WeakAreaSection:
    weak_area_id: str
    title: str
    cause: str
    summary: str
    indicators: tuple[IndicatorFigure, ...]
    overdue: tuple[ActionItem, ...] = ()   # its 整改 tasks due by the year's end and not done


@dataclass(frozen=True)
class ActionItem:
    action_id: str
    weak_area_id: str | None
    title: str
    owner: str | None
    due_date: str | None
    status: str
    progress: str | None


@dataclass
class ReportContent:
    year: int
    community_id: str | None
    scope: str             # 全街道, 全区 (the district of several subdistricts) or the community's name
    subdistrict: str       # the subdistrict's name; for the district, the district's (or 全区)
    source: str            # data set and load time, for the cover and every chart
    generated_at: str
    catalogue_version: str
    is_sample: bool
    measures: list[str] = field(default_factory=list)   # 一's narrative: the year's activities from the records
    areas: list[AreaSection] = field(default_factory=list)
    weak_areas: list[WeakAreaSection] = field(default_factory=list)
    duty_sentences: list[str] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    indicators: list[IndicatorFigure] = field(default_factory=list)
    score_rows: list[dict] = field(default_factory=list)   # reporting.scores.score_rows of the scope
    chart_problem: str | None = None  # why charts are missing, if they are
    resolved: Scope | None = None     # the scope the figures are of (reporting.scope)

    @property
    def title(self) -> str:
        scope = "" if self.community_id is None else self.scope
        return f"{self.subdistrict}{scope}{self.year}年法治政府建设年度报告"

    @property
    def cover_lines(self) -> list[str]:
        lines = [
            "本稿由法治政府建设指标驾驶舱根据数据库自动生成，是供党政办编辑修改的草稿，不是正式发布稿。",
            f"年度：{self.year}年",
            f"范围：{self.scope}" + (f"（{len(self.resolved.known)}个街道）"
                                   if self.resolved is not None and self.resolved.is_district else ""),
            f"数据来源：{self.source}",
            f"生成时间：{self.generated_at}；指标目录版本：{self.catalogue_version}",
        ]
        if self.is_sample:
            lines.append("注意：本稿基于示例数据，除年度报告已公布的数字外均为示意值，不得对外使用。")
        return lines


def number(value: float) -> str:
    """Figures as a Chinese report writes them: no thousands separator, at most one decimal."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:.1f}".rstrip("0").rstrip(".")


def with_unit(value: float, unit: str) -> str:
    return f"{number(value)}{'' if unit == '比值' else unit}"


# --- reading the database -------------------------------------------------------------------

def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                       [name]).fetchone()[0] > 0


def _source(con: duckdb.DuckDBPyConnection) -> tuple[str, bool]:
    """What the data is (label, sample or real) and when it was loaded; whether it is sample data."""
    run = queries.latest_run(con) if _has_table(con, "etl_runs") else None
    if not run:
        return "无载入记录", False
    is_sample = run.get("dataset_kind") == "sample"
    kind_zh = "示例数据" if is_sample else "真实数据"
    label = run.get("dataset_label_zh") or run.get("dataset_label") or kind_zh
    finished = run.get("finished_at")
    when = pd.Timestamp(finished).strftime("%Y-%m-%d %H:%M") if finished is not None and not pd.isna(finished) else "—"
    return f"{label}（{kind_zh}），{when} 载入", is_sample


def _num(x) -> float | None:
    return None if pd.isna(x) else float(x)


def _indicators(con, year: int, scope: Scope) -> list[IndicatorFigure]:
    df = _frame(con, """
        SELECT i.indicator_id, i.name_zh, i.unit_zh, i.kind, i.area_id,
               nullif(trim(CAST(i.weak_area_id AS VARCHAR)), '') AS weak_area_id,
               m.target, m.target_year,
               m.value, m.numerator, m.denominator, m.status, m.no_data_reason, m.note,
               p.value AS previous_value
        FROM ref_indicators i
        JOIN ref_areas a ON a.area_id = i.area_id
        LEFT JOIN mart_indicator_values m ON m.indicator_id = i.indicator_id AND m.year = $year
             AND m.community_id IS NOT DISTINCT FROM $community
             AND (m.community_id IS NOT NULL OR m.subdistrict IS NOT DISTINCT FROM $subdistrict)
        LEFT JOIN mart_indicator_values p ON p.indicator_id = i.indicator_id AND p.year = $year - 1
             AND p.community_id IS NOT DISTINCT FROM $community
             AND (p.community_id IS NOT NULL OR p.subdistrict IS NOT DISTINCT FROM $subdistrict)
        ORDER BY a.sort_order, i.sort_order""",
        {"year": year, "community": scope.community_id, "subdistrict": scope.subdistrict})
    out = []
    for r in df.itertuples(index=False):
        reason = None if pd.isna(r.no_data_reason) else r.no_data_reason
        if r.value is None or pd.isna(r.value):
            reason = reason or f"{year}年无该指标的数据"
        out.append(IndicatorFigure(
            indicator_id=r.indicator_id, name=r.name_zh, unit=r.unit_zh, kind=r.kind,
            area_id=r.area_id,
            weak_area_id=None if pd.isna(r.weak_area_id) else r.weak_area_id,
            target=_num(r.target), value=_num(r.value), numerator=_num(r.numerator),
            denominator=_num(r.denominator),
            status=(r.status if isinstance(r.status, str) else "no_data"),
            no_data_reason=reason, note=None if pd.isna(r.note) else r.note,
            previous_value=_num(r.previous_value),
            target_note=None if pd.isna(r.target_year) else fallback_text(int(r.target_year), year)))
    return out


def indicator_trend(con, year: int, scope: Scope) -> pd.DataFrame:
    where, params = scope.mart_where()
    return _frame(con, f"""
        SELECT indicator_id, year, value, status FROM mart_indicator_values
        WHERE {where} AND year BETWEEN ? AND ?
        ORDER BY indicator_id, year""", [*params, year - TREND_YEARS + 1, year])


# --- sentences --------------------------------------------------------------------------------

def indicator_sentence(f: IndicatorFigure) -> str:
    """One sentence from one figure; nothing in it that the figure does not hold."""
    if not f.has_value:
        return f"{f.name}：暂无数据（{f.no_data_reason}）"
    parts = [f"{f.name}{f.value_text}"]
    if f.numerator is not None and f.denominator is not None and f.kind in ("rate", "reported_rate"):
        parts[0] += f"（{number(f.numerator)}/{number(f.denominator)}）"
    if f.target is not None:
        reached = {"green": "已达到目标", "amber": "接近目标但未达到", "red": "未达到目标"}.get(f.status)
        parts.append(f"目标{f.target_text}" + (f"（{f.target_note}）" if f.target_note else "")
                     + (f"，{reached}" if reached else ""))
    elif f.status == "no_community_target":
        parts.append("无社区目标")
    if f.previous_value is not None:
        parts.append("与上年持平" if f.change_text == "持平" else f"较上年{f.change_text}")
    sentence = "，".join(parts)
    # the sample's note is said once, among the notes of 五, not after every figure
    return sentence + (f"（注：{f.note}）" if f.note and not f.note.startswith(ILLUSTRATIVE) else "")


def _disclosure_detail(con, year: int, scope: Scope) -> list[str]:
    """主动公开 split by category and by channel (records carry no community: whole subdistrict or
    district only)."""
    if scope.community_id is not None or not _has_table(con, "stg_disclosures"):
        return []
    where, params = scope.records_where()
    out = []
    for column, label, order in (("category", "按类别", schema.DISCLOSURE_CATEGORIES),
                                 ("channel", "按渠道", schema.DISCLOSURE_CHANNELS)):
        rows = con.execute(f"""
            SELECT coalesce("{column}", '未填写') AS k, count(*) AS n FROM stg_disclosures
            WHERE mode = '主动公开' AND year(date) = ? AND {where} GROUP BY k
            ORDER BY coalesce(list_position(?, k), 99), k""", [year, *params, list(order)]).fetchall()
        if rows:
            out.append(f"主动公开信息{label}：" + "，".join(f"{k}{n}条" for k, n in rows))
    return out


def _designation_detail(con, year: int, scope: Scope) -> list[str]:
    if not _has_table(con, "stg_designations"):
        return []
    where, params = scope.records_where("c.subdistrict")
    rows = con.execute(f"""
        SELECT c.name, d.title, d.granted_by, d.year_granted FROM stg_designations d
        JOIN stg_communities c USING (community_id)
        WHERE d.status = '有效' AND d.year_granted <= ?
          AND (?::VARCHAR IS NULL OR d.community_id = ?) AND {where}
        ORDER BY CASE d.level WHEN '国家级' THEN 1 WHEN '省级' THEN 2 WHEN '市级' THEN 3 ELSE 4 END,
                 c.community_id""", [year, scope.community_id, scope.community_id, *params]).fetchall()
    return [f"{name}获“{title}”称号（{by + '，' if by else ''}{granted}年）" for name, title, by, granted in rows]


def _duty_sentences(by_id: dict[str, IndicatorFigure]) -> list[str]:
    out = []
    study = by_id.get("study_sessions")
    if study:
        out.append(f"党政主要负责人带头学法：理论学习中心组专题学法{study.value_text}"
                   if study.has_value else indicator_sentence(study))
    appear = by_id.get("leader_appearance_rate")
    if appear and appear.has_value and appear.denominator is not None:
        out.append(f"行政机关负责人出庭应诉：开庭审理的行政诉讼案件{number(appear.denominator)}件，"
                   f"负责人出庭{number(appear.numerator)}件，出庭应诉率{appear.value_text}")
    elif appear:
        out.append(indicator_sentence(appear))
    for indicator_id in ("litigation_cases_new", "review_cases_new"):
        if indicator_id in by_id:
            out.append(indicator_sentence(by_id[indicator_id]))
    return out


def _weak_summary(figures: list[IndicatorFigure]) -> str:
    counted = [f for f in figures if f.status in ("green", "amber", "red")]
    missing = [f.name for f in figures if not f.has_value]
    parts = [f"本年度该项共{len(figures)}个指标"]
    if counted:
        tally = {s: sum(f.status == s for f in counted) for s in ("green", "amber", "red")}
        parts.append(f"达标{tally['green']}个、预警{tally['amber']}个、未达标{tally['red']}个")
    if missing:
        parts.append(f"暂无数据{len(missing)}个（{'、'.join(missing)}）")
    return "，".join(parts) + "。"


# --- charts -------------------------------------------------------------------------------------

def area_trend_figure(figures: list[IndicatorFigure], trend: pd.DataFrame, title: str) -> go.Figure | None:
    """The app's small multiples (reporting.charts.indicators_against_target) for an area's
    indicators over the last years, sized for an A4 page, with a key to the colours.
    None when no indicator of the area has a value."""
    with_data = [f for f in figures if not trend[(trend.indicator_id == f.indicator_id) & trend.value.notna()].empty]
    if not with_data:
        return None
    values = pd.DataFrame([{"indicator_id": f.indicator_id, "year": int(r.year), "value": r.value,
                            "status": r.status, "target": f.target, "name_zh": f.name, "unit_zh": f.unit}
                           for f in with_data for r in trend[trend.indicator_id == f.indicator_id].itertuples()])
    columns = min(4, len(with_data))
    fig = indicators_against_target(values, "zh", columns=columns)
    community_key = "　浅灰＝无社区目标" if (values["status"] == "no_community_target").any() else ""
    fig.add_annotation(text=f"柱色：绿＝达标　橙＝预警　红＝未达标　蓝＝无目标　灰＝暂无数据{community_key}；虚线＝各年度目标",
                       xref="paper", yref="paper", x=1, y=1, xanchor="right", yanchor="bottom", yshift=52,
                       showarrow=False, font={"size": 11, "color": "#555"})
    rows = -(-len(with_data) // columns)
    fig.update_layout(title={"text": title}, height=260 * rows + 120, width=1100,
                      margin={"l": 40, "r": 20, "t": 110, "b": 80})
    return fig


def _year_span(trend: pd.DataFrame) -> str:
    years = trend.loc[trend.value.notna(), "year"]
    if years.empty:
        return ""
    first, last = int(years.min()), int(years.max())
    return f"{first}年" if first == last else f"{first}—{last}年"


# --- the content model --------------------------------------------------------------------------

def build_content(con: duckdb.DuckDBPyConnection, year: int, community: str | None = None, *,
                  subdistrict: str | None = None, charts: bool = True,
                  on_area: Callable[[int, int, str], None] | None = None) -> ReportContent:
    """Everything the report says, for one year and one scope: `subdistrict` and `community` as the
    user wrote them (reporting.scope.resolve_scope; neither: the whole district, or the only
    subdistrict). Figures, targets, points, 整改 tasks and records are the scope's.

    `on_area(done, total, area name)` is called before each area (its chart is the slow part)."""
    try:
        where = resolve_scope(con, subdistrict, community)
    except ScopeError as exc:
        raise ReportError(str(exc)) from exc
    community_id = where.community_id
    scope = where.community if community_id is not None else "全区" if where.is_district else "全街道"
    years = queries.years_with_data(con)
    if year not in years:
        known = "、".join(str(y) for y in years) or "无"
        raise ReportError(f"数据库中没有{year}年的指标数据。已有年度：{known}")
    source, is_sample = _source(con)
    version = con.execute("SELECT max(version) FROM ref_indicators").fetchone()[0]
    content = ReportContent(
        year=year, community_id=community_id, scope=scope, subdistrict=where.whole_name,
        source=source, generated_at=datetime.now().strftime("%Y-%m-%d %H:%M"),
        catalogue_version=str(version), is_sample=is_sample, resolved=where)
    figures = _indicators(con, year, where)
    content.indicators = figures
    by_id = {f.indicator_id: f for f in figures}
    trend = indicator_trend(con, year, where)
    extra = {"disclosure": _disclosure_detail(con, year, where),
             "designation": _designation_detail(con, year, where)}

    areas = con.execute("SELECT area_id, name_zh FROM ref_areas ORDER BY sort_order").fetchall()
    # a chart leaves the report on its own (the bundle's PNGs): it names the subdistrict among several
    shown = where.subdistrict if where.several and community_id is None and not where.is_district else scope
    if charts and not export.image_export_available():
        content.chart_problem = export.INSTALL_HINT["zh"]
    for n, (area_id, name) in enumerate(areas):
        if on_area:
            on_area(n, len(areas), name)
        area_figures = [f for f in figures if f.area_id == area_id]
        sentences = tuple([indicator_sentence(f) for f in area_figures] + extra.get(area_id, []))
        chart = None
        if charts:
            title = f"{name}：主要指标{_year_span(trend[trend.indicator_id.isin([f.indicator_id for f in area_figures])])}（{shown}）"
            fig = area_trend_figure(area_figures, trend, title)
            if fig is not None:
                png = None
                if content.chart_problem is None:
                    framed = export.figure_with_context(fig, title=title, filters=f"范围：{shown}；年度：{year}",
                                                        source=f"数据来源：{source}",
                                                        watermark=SAMPLE_WATERMARK if content.is_sample else "")
                    try:
                        png = export.figure_bytes(framed, "png")
                    except export.ImageExportFailed as exc:
                        content.chart_problem = str(exc)  # the rest of the report still stands
                chart = Chart(name=f"{n + 1:02d}_{area_id}_{year}", title=title, figure=fig, png=png)
        content.areas.append(AreaSection(area_id=area_id, title=f"（{NUMERALS[n]}）{name}",
                                         sentences=sentences, indicators=tuple(area_figures), chart=chart))

    content.measures = measures(con, year, where)
    overdue = _overdue_actions(con, year, where)
    for weak_id, name, cause in con.execute(
            "SELECT weak_area_id, name_zh, cause_zh FROM ref_weak_areas ORDER BY weak_area_id").fetchall():
        weak_figures = [f for f in figures if f.weak_area_id == weak_id]
        content.weak_areas.append(WeakAreaSection(weak_area_id=weak_id, title=name, cause=cause,
                                                  summary=_weak_summary(weak_figures),
                                                  indicators=tuple(weak_figures),
                                                  overdue=tuple(a for a in overdue if a.weak_area_id == weak_id)))
    content.duty_sentences = _duty_sentences(by_id)
    content.actions = _actions(con, year, where)
    content.notes = _notes(figures, is_sample)
    if scores.has_scores(con) and where.is_district and community_id is None:
        content.notes.insert(0, "预计得分按各街道的指标目标和分值计算，不跨街道相加，全区不计预计得分")
    elif scores.has_scores(con):
        content.score_rows = scores.score_rows(con, year, where)
        sentence = scores.summary_sentence(content.score_rows, year)
        if sentence:
            content.notes.insert(0, sentence + ("（目标与分值为示例）" if is_sample else ""))
    return content


def measures(con, year: int, where: Scope) -> list[str]:
    """The year's 普法与法律服务 activities from the records of the scope, one sentence per kind: how
    many, the participants, the change against the year before and up to three titles (most attended
    first)."""
    if not _has_table(con, "stg_outreach"):
        return []
    scope, params = where.records_where()
    if where.community_id:
        scope, params = f"{scope} AND community_id = ?", [*params, where.community_id]
    rows = con.execute(f"""
        WITH counted AS (
            SELECT activity_type, year(date) AS y, count(*) AS n, sum(participants) AS people
            FROM stg_outreach WHERE year(date) IN (?, ?) AND {scope} GROUP BY ALL),
        titled AS (
            SELECT activity_type, list(title ORDER BY p DESC, title) FILTER (WHERE title IS NOT NULL) AS titles
            FROM (SELECT activity_type, title, sum(participants) AS p FROM stg_outreach
                  WHERE year(date) = ? AND {scope} GROUP BY ALL)
            GROUP BY ALL)
        SELECT c.activity_type, c.n, c.people, p.n AS before, t.titles
        FROM counted c LEFT JOIN counted p ON p.activity_type = c.activity_type AND p.y = c.y - 1
        LEFT JOIN titled t ON t.activity_type = c.activity_type
        WHERE c.y = ? ORDER BY c.n DESC, c.activity_type""", [year, year - 1, *params, year, *params, year]).fetchall()
    sentences = []
    for kind, n, people, before, titles in rows:
        change = "" if before is None else "，与上年持平" if n == before else f"，较上年{'增加' if n > before else '减少'}{abs(n - before)}场"
        examples = "、".join(f"“{x}”" for x in (titles or [])[:3])
        sentences.append(f"开展{kind}{n}场，参与{number(float(people or 0))}人次{change}"
                         + (f"，如{examples}" if examples else ""))
    return sentences


def _overdue_actions(con, year: int, scope: Scope) -> list[ActionItem]:
    """整改 tasks (of the scope's subdistrict) due by the end of `year` and not done (已完成), as the
    report year closes."""
    if not _has_table(con, "stg_actions"):
        return []
    where, params = scope.records_where()
    rows = con.execute(f"""
        SELECT action_id, weak_area_id, title, owner, CAST(due_date AS VARCHAR), status, progress
        FROM stg_actions WHERE due_date <= make_date(?, 12, 31) AND status <> '已完成' AND {where}
        ORDER BY due_date, action_id""", [year, *params]).fetchall()
    return [ActionItem(*r) for r in rows]


def overdue_text(weak: WeakAreaSection) -> str:
    """One sentence naming a weak area's overdue 整改 tasks with owner and due date; '' when none."""
    if not weak.overdue:
        return ""
    items = "；".join(f"{a.title}（{a.owner or '未定责任科室'}，{a.due_date or '无期限'}到期，{a.status}）"
                     for a in weak.overdue)
    return f"逾期未完成的整改任务{len(weak.overdue)}项：{items}"


def _actions(con, year: int, scope: Scope) -> list[ActionItem]:
    """The plan for the year after the report year (四、下一年度…主要安排): actions whose plan year is
    year + 1; an action without a plan year belongs to the year it is due. An action of that plan
    due later stays in it; a later plan's actions do not come in. The scope's subdistrict's actions;
    every subdistrict's for the district."""
    if not _has_table(con, "stg_actions"):
        return []
    # A database built before actions had plan_year: the due date decides.
    plan_year = ("coalesce(plan_year, year(due_date))" if con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'stg_actions' AND column_name = 'plan_year'"
    ).fetchone()[0] else "year(due_date)")
    where, params = scope.records_where()
    rows = con.execute(f"""
        SELECT action_id, weak_area_id, title, owner, CAST(due_date AS VARCHAR), status, progress
        FROM stg_actions WHERE {plan_year} = ? AND {where} ORDER BY action_id""", [year + 1, *params]).fetchall()
    return [ActionItem(*r) for r in rows]


ILLUSTRATIVE = "示例数据"   # how etl notes a sample figure that is not a public number


def _notes(figures: list[IndicatorFigure], is_sample: bool) -> list[str]:
    notes = [f"{f.name}：{f.note}" for f in figures if f.note and not f.note.startswith(ILLUSTRATIVE)]
    illustrative = [f.name for f in figures if f.note and f.note.startswith(ILLUSTRATIVE)]
    if illustrative:   # one footnote for every figure that is illustrative
        notes.append(f"以下指标的数值为示例数据（示意，非公开数字）：{'、'.join(illustrative)}。")
    if is_sample:
        notes.append("本稿数据为示例数据：分社区数字、其他年度及依申请公开、法律顾问、合法性审核、评估得分等为示意值。")
    notes.append("指标的口径见指标目录（指标说明页）；目标、红线、分值和计分方式见指标目标及其依据。")
    return notes


# --- data and bundle ------------------------------------------------------------------------------

ANNEX_HEADERS = {"indicator_id": "指标编号", "name": "指标", "value": "数值", "unit": "单位",
                 "target": "目标", "status": "状态", "numerator": "分子", "denominator": "分母",
                 "previous_value": "上年数值", "no_data_reason": "无数据原因", "note": "说明"}


def indicator_table(figures: list[IndicatorFigure]) -> pd.DataFrame:
    """The annex as a frame: one row per indicator, Chinese headers (unit in its own column,
    because it differs by row)."""
    rows = [{"indicator_id": f.indicator_id, "name": f.name, "value": f.value, "unit": f.unit,
             "target": f.target, "status": f.status_text, "numerator": f.shown_numerator,
             "denominator": f.denominator, "previous_value": f.previous_value,
             "no_data_reason": None if f.has_value else f.no_data_reason,
             "note": "；".join(t for t in (f.target_note, f.note) if t) or None}
            for f in figures]
    return pd.DataFrame(rows, columns=list(ANNEX_HEADERS)).rename(columns=ANNEX_HEADERS)


def area_workbook(con, content: ReportContent) -> bytes:
    """XLSX: a 说明 sheet, then one sheet per area, then the predicted points (预计得分); for a whole
    subdistrict every community's rows follow the subdistrict's, for the district every subdistrict's."""
    where = content.resolved or resolve_scope(con, None, content.community_id)
    scopes: list[tuple[Scope, str]] = [(where, content.scope)]
    if where.is_district:
        scopes += [(replace(where, subdistrict=name), name) for name in where.known]
    elif content.community_id is None:
        sd_sql, sd_params = where.records_where()
        scopes += [(replace(where, community_id=cid, community=name), name) for cid, name in con.execute(
            f"SELECT community_id, name FROM stg_communities WHERE {sd_sql} ORDER BY community_id", sd_params).fetchall()]
    per_scope = [_indicators(con, content.year, scope) for scope, _ in scopes]
    sheets = {"说明": pd.DataFrame({"项目": ["报告", "年度", "范围", "数据来源", "生成时间"],
                                    "内容": [content.title, str(content.year), content.scope,
                                             content.source, content.generated_at]})}
    for area in content.areas:
        frames = []
        for figures, (_, name) in zip(per_scope, scopes):
            frame = indicator_table([f for f in figures if f.area_id == area.area_id])
            frame.insert(0, "范围", name)
            frames.append(frame)
        sheets[area.title.split("）", 1)[-1]] = pd.concat(frames, ignore_index=True)
    if scores.has_scores(con):
        frames = []
        for scope, name in scopes:
            frame = scores.score_frame(scores.score_rows(con, content.year, scope))
            frame.insert(0, "范围", name)
            frames.append(frame)
        sheets["预计得分"] = pd.concat(frames, ignore_index=True)
    return export.xlsx_bytes(sheets)
