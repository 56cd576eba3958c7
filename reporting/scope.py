"""Whose figures a read command or report shows: the whole district, one subdistrict, or one community.

`resolve_scope(con, subdistrict, community)` is the one resolver of what a user writes after
`--subdistrict` and `--community` (the `indicators`, `scores`, `report` and `export` commands, and the
report and bundle of 导出中心). A subdistrict is written as in the community list, with or without
街道; a community as its id, name, alias, or name without 社区. Neither given: the whole district
when the warehouse holds several subdistricts, the only subdistrict otherwise. A community must
belong to the subdistrict named; without one, the community's own subdistrict is the scope's.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from reporting.queries import subdistricts

SUFFIX = "街道"


class ScopeError(ValueError):
    """What the user wrote names no subdistrict or community of the warehouse (the message says which
    there are), or a community of another subdistrict."""


@dataclass(frozen=True)
class Scope:
    subdistrict: str | None            # the subdistrict; None = the whole district (several, none chosen)
    known: tuple[str, ...] = ()        # every subdistrict of the warehouse, by name
    district: str | None = None        # the community list's 区, when it names one
    community_id: str | None = None    # None = the whole subdistrict or district
    community: str | None = None       # the community's name

    @property
    def several(self) -> bool:
        return len(self.known) > 1

    @property
    def is_district(self) -> bool:
        return self.subdistrict is None and self.several

    @property
    def records(self) -> str | None:
        """The filter on records (`subdistrict = ?`) and the `subdistrict` of reporting.queries: the
        chosen subdistrict among several; None = every record (the district, or the only subdistrict)."""
        return self.subdistrict if self.several else None

    @property
    def whole_name(self) -> str:
        """The name of the whole (subdistrict or district) for titles and file names."""
        if self.subdistrict:
            return self.subdistrict
        if self.several:
            return self.district or "全区"
        return "街道"

    @property
    def label(self) -> str:
        """The scope as the commands print it."""
        if self.community_id is not None:
            return self.community or self.community_id
        if self.is_district:
            return f"{self.district or ''}全区（{len(self.known)}个街道）"
        if self.several:
            return f"{self.subdistrict}整体（含街道本级）"
        return "街道整体（含街道本级）"

    def mart_where(self, alias: str = "") -> tuple[str, list]:
        """The mart's rows (`mart_indicator_values`, `mart_scores`) of the scope, with its parameters:
        one community's, or the whole rows (community NULL) of the subdistrict or district."""
        sql = (f"{alias}community_id IS NOT DISTINCT FROM ? "
               f"AND ({alias}community_id IS NOT NULL OR {alias}subdistrict IS NOT DISTINCT FROM ?)")
        return sql, [self.community_id, self.subdistrict]

    def records_where(self, column: str = "subdistrict") -> tuple[str, list]:
        """Records of the scope's subdistrict (`column`); every record for the district or the only one."""
        return ("TRUE", []) if self.records is None else (f"{column} = ?", [self.records])


def _bare(name: str) -> str:
    name = name.strip()
    return name[: -len(SUFFIX)] if name.endswith(SUFFIX) and len(name) > len(SUFFIX) else name


def match_subdistrict(known: list[str], text: str) -> str | None:
    """The subdistrict `text` names, written with or without 街道; None when none does."""
    wanted = _bare(text)
    return next((name for name in known if name == text.strip() or _bare(name) == wanted), None)


def _community_names(con: duckdb.DuckDBPyConnection, subdistrict: str | None) -> str:
    rows = con.execute("SELECT name FROM stg_communities WHERE ? IS NULL OR subdistrict = ? ORDER BY community_id",
                       [subdistrict, subdistrict]).fetchall()
    return "、".join(name for (name,) in rows) or "无"


def resolve_scope(con: duckdb.DuckDBPyConnection, subdistrict: str | None = None,
                  community: str | None = None) -> Scope:
    """The scope of `--subdistrict` and `--community` as written (None or blank: not given); raises
    ScopeError with the names there are."""
    known = subdistricts(con)
    districts = [d for (d,) in con.execute(
        "SELECT DISTINCT district FROM stg_communities WHERE district IS NOT NULL ORDER BY 1").fetchall()]
    district = districts[0] if len(districts) == 1 else None
    chosen = None
    named = bool(subdistrict and subdistrict.strip())
    if named:
        chosen = match_subdistrict(known, subdistrict)
        if chosen is None:
            raise ScopeError(f"未找到街道“{subdistrict.strip()}”。已知街道：{'、'.join(known) or '无'}")
    elif len(known) == 1:
        chosen = known[0]
    scope = Scope(subdistrict=chosen, known=tuple(known), district=district)
    if not (community and community.strip()):
        return scope
    text = community.strip()
    rows = con.execute("""
        SELECT community_id, name, subdistrict FROM stg_communities
         WHERE community_id = $t OR name = $t OR name = $t || '社区' OR list_contains(coalesce(aliases, []), $t)
         ORDER BY community_id""", {"t": text}).fetchall()
    if named:
        inside = [r for r in rows if r[2] == chosen]
        if not inside and rows:
            raise ScopeError(f"社区“{rows[0][1]}”不属于{chosen}（属于{rows[0][2] or '未填写街道'}）。"
                             f"{chosen}的社区：{_community_names(con, chosen)}")
        if not inside:
            raise ScopeError(f"未找到社区“{text}”。{chosen}的社区：{_community_names(con, chosen)}")
        rows = inside
    elif not rows:
        raise ScopeError(f"未找到社区“{text}”。已知社区：{_community_names(con, None)}")
    elif len({r[2] for r in rows}) > 1:
        raise ScopeError(f"社区“{text}”在多个街道都有：{'、'.join(sorted({r[2] or '未填写街道' for r in rows}))}；"
                         "请同时指明街道")
    community_id, name, own = rows[0]
    return Scope(subdistrict=own if own is not None else chosen, known=tuple(known), district=district,
                 community_id=community_id, community=name)
