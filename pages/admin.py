"""账号与审计 (admins only): accounts (list, add, disable/enable, reset, role), the role matrix, and the
audit trail with filters and an (audited) CSV download. Every change checks the role again first."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from cockpit import auth, ui
from reporting import queries
from reporting.export import csv_bytes
from security import audit as events
from security.accounts import AccountError
from security.audit import local_time
from security.roles import ROLES, matrix_rows, permissions_path, role_label

auth.require("admin")
lang = ui.current_lang()
t = auth.t
accounts = auth.accounts()

st.title(t("page_admin", lang))
accounts_tab, roles_tab, audit_tab = st.tabs([t("admin_tab_accounts", lang), t("admin_tab_roles", lang),
                                              t("admin_tab_audit", lang)])


def act(event: str, name: str, change, done: str, detail: dict | None = None, *, secret: bool = False) -> None:
    """Do an account change as the admin (role checked again), audited either way; say how it went
    after the rerun, with the generated password when `secret`."""
    auth.require("admin")
    try:
        result = change()
    except AccountError as exc:
        auth.record(event, object=name, detail={**(detail or {}), "error": str(exc)}, outcome="failed")
        st.session_state["admin_flash"] = ("error", t("admin_failed", lang, error=exc), None)
    else:
        auth.record(event, object=name, detail=detail)
        st.session_state["admin_flash"] = ("success", done, result if secret else None)
    st.rerun()


def state(user) -> str:
    if user.disabled:
        return t("state_disabled", lang)
    if user.locked_until:
        return t("state_locked", lang, until=user.locked_until.astimezone().strftime("%Y-%m-%d %H:%M"))
    return t("state_enabled", lang)


def scope_label(subdistrict: str | None) -> str:
    return subdistrict or t("scope_all", lang)


def when(moment) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


with accounts_tab:
    flash = st.session_state.pop("admin_flash", None)
    if flash:
        kind, message, secret = flash
        (st.error if kind == "error" else st.success)(message)
        if secret:
            st.code(secret, language=None)      # a generated password, shown this once
    users = accounts.list_users()
    st.dataframe(pd.DataFrame([{
        t("col_name", lang): u.name, t("col_role", lang): u.role_label(lang), t("col_state", lang): state(u),
        t("col_must_change", lang): "✓" if u.must_change else "", t("col_email", lang): u.email or "",
        t("col_subject", lang): u.subject or "", t("col_scope", lang): scope_label(u.subdistrict),
        t("col_created", lang): when(u.created_at), t("col_last_sign_in", lang): when(u.last_sign_in)}
        for u in users]), hide_index=True, width="stretch")
    st.caption(t("admin_accounts_file", lang, path=accounts.path))

    # The subdistricts an account may be limited to: the warehouse's, and any an account already names.
    subdistricts = [None, *sorted(set(ui.query(queries.subdistricts)) | {u.subdistrict for u in users if u.subdistrict})]
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("admin_add", lang))
        st.caption(t("admin_add_help", lang))
        with st.form("admin_add", clear_on_submit=True):
            name = st.text_input(t("col_name", lang), max_chars=64)
            role = st.selectbox(t("col_role", lang), ROLES, format_func=lambda r: role_label(r, lang))
            email = st.text_input(t("col_email", lang), max_chars=254)
            subject = st.text_input(t("col_subject", lang), max_chars=255)
            subdistrict = st.selectbox(t("col_scope", lang), subdistricts, format_func=scope_label,
                                       help=t("admin_subdistrict_help", lang), key="admin_add_subdistrict")
            if st.form_submit_button(t("admin_add_submit", lang), type="primary", icon=":material/person_add:"):
                name = name.strip()
                act(events.ACCOUNT_ADD, name, lambda: accounts.add(name, role, email=email, subject=subject,
                                                                   subdistrict=subdistrict),
                    t("admin_added", lang, name=name, role=role_label(role, lang)),
                    {"role": role, "email": email.strip(), "subject": subject.strip(), "subdistrict": subdistrict,
                     "password": "generated"}, secret=True)
    with right:
        st.subheader(t("admin_manage", lang))
        names = [u.name for u in users]
        picked = st.selectbox(t("admin_pick", lang), names, key="admin_pick") if names else None
        user = next((u for u in users if u.name == picked), None)
        if user is not None:
            new_role = st.selectbox(t("col_role", lang), ROLES, index=ROLES.index(user.role),
                                    format_func=lambda r: role_label(r, lang), key=f"admin_role_{user.name}")
            if st.button(t("admin_set_role", lang), icon=":material/badge:", disabled=new_role == user.role):
                act(events.ACCOUNT_ROLE, user.name, lambda: accounts.set_role(user.name, new_role),
                    t("admin_role_changed", lang, name=user.name, old=role_label(user.role, lang),
                      new=role_label(new_role, lang)), {"from": user.role, "to": new_role})
            new_scope = st.selectbox(t("col_scope", lang), subdistricts, index=subdistricts.index(user.subdistrict),
                                     format_func=scope_label, help=t("admin_subdistrict_help", lang),
                                     key=f"admin_subdistrict_{user.name}")
            if st.button(t("admin_set_subdistrict", lang), icon=":material/location_city:",
                         disabled=new_scope == user.subdistrict, key="admin_set_subdistrict"):
                act(events.ACCOUNT_SUBDISTRICT, user.name, lambda: accounts.set_subdistrict(user.name, new_scope),
                    t("admin_subdistrict_changed", lang, name=user.name, old=scope_label(user.subdistrict),
                      new=scope_label(new_scope)), {"from": user.subdistrict, "to": new_scope})
            buttons = st.columns(2)
            if user.disabled or user.locked_until:
                if buttons[0].button(t("admin_enable", lang), icon=":material/lock_open:", width="stretch"):
                    act(events.ACCOUNT_ENABLE, user.name, lambda: accounts.enable(user.name),
                        t("admin_enabled", lang, name=user.name))
            elif buttons[0].button(t("admin_disable", lang), icon=":material/block:", width="stretch"):
                act(events.ACCOUNT_DISABLE, user.name, lambda: accounts.disable(user.name),
                    t("admin_disabled", lang, name=user.name))
            if buttons[1].button(t("admin_reset", lang), icon=":material/key:", width="stretch"):
                act(events.ACCOUNT_RESET, user.name, lambda: accounts.reset(user.name),
                    t("admin_reset_done", lang, name=user.name), secret=True)

with roles_tab:
    st.dataframe(pd.DataFrame(matrix_rows(lang)), hide_index=True, width="stretch")
    st.caption(t("admin_roles_help", lang, path=permissions_path()))

with audit_tab:
    trail = auth.audit_trail()
    check = trail.verify()
    if check.ok:
        st.caption(t("audit_verified", lang, rows=check.rows, path=trail.path))
    else:
        st.error(t("audit_broken", lang, problem=check.message(lang)), icon=":material/gpp_bad:")
    everything = trail.rows()
    since_col, user_col, action_col = st.columns([1, 1, 2])
    since = since_col.date_input(t("audit_since", lang), value=date.today() - timedelta(days=30), key="audit_since")
    who = user_col.selectbox(t("audit_user", lang), sorted({r.get("user") or "" for r in everything}), index=None,
                             placeholder=t("audit_user_all", lang), key="audit_user")
    chosen = action_col.multiselect(t("audit_actions", lang), events.EVENTS, key="audit_actions",
                                    format_func=lambda a: auth.event_label(a, lang),
                                    placeholder=t("audit_actions_all", lang))
    rows = [r for r in trail.rows(since=since, user=who) if not chosen or r.get("action") in chosen]
    if not rows:
        st.info(t("audit_none", lang))
    else:
        table = pd.DataFrame([{
            t("col_time", lang): local_time(r).strftime("%Y-%m-%d %H:%M:%S"), t("col_user", lang): r.get("user") or "",
            t("col_role", lang): role_label(r["role"], lang) if r.get("role") else "",
            t("col_client", lang): r.get("client") or "", t("col_action", lang): auth.event_label(r.get("action"), lang),
            t("col_object", lang): r.get("object") or "",
            t("col_outcome", lang): auth.outcome_label(r.get("outcome") or "", lang),
            t("col_detail", lang): json.dumps(r.get("detail") or {}, ensure_ascii=False)}
            for r in reversed(rows)])
        st.caption(t("audit_count", lang, n=len(table)))
        st.dataframe(table, hide_index=True, width="stretch", height=420)
        filters = {"since": since.isoformat(), "user": who, "actions": list(chosen), "rows": len(table)}
        st.download_button(t("audit_csv", lang), data=auth.audited_download(
                               lambda: csv_bytes(table), str(trail.path), filters, event=events.AUDIT_EXPORT),
                           file_name=f"audit_{date.today():%Y%m%d}.csv", mime="text/csv",
                           icon=":material/download:", on_click="ignore", key="audit_csv")
