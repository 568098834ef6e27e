"""`gridloop doctor`'s words: each finding and its fix, in Chinese (default) or English."""

from __future__ import annotations

from collections.abc import Sequence

from gridloop.domain.people import DepartmentFunction
from gridloop.service_layer.doctor import Finding, FindingKind

K = FindingKind
SHOWN_ITEMS = 10

# kind → (what, fix) by language; fields: subject, items, detail, label, found, latest
TEXTS: dict[str, dict[FindingKind, tuple[str, str]]] = {
    "zh": {
        K.NO_DATABASE: (
            "数据库 {subject} 不存在。",
            "运行 gridloop import DIR 导入辖区（同时创建数据库）。",
        ),
        K.UNREADABLE_DATABASE: (
            "无法读取数据库 {subject}：{detail}。",
            "确认 --db 或 GRIDLOOP_DB 指向 gridloop 数据库；文件损坏时从备份恢复。",
        ),
        K.SCHEMA_AHEAD: (
            "数据库 {subject} 的结构版本 {found} 比本程序支持的 {latest} 新。",
            "升级 gridloop 后再使用该数据库。",
        ),
        K.SCHEMA_BEHIND: (
            "数据库 {subject} 有待执行的迁移（结构版本 {found}，最新 {latest}），其内容未检查。",
            "运行 gridloop init 升级结构（其他命令启动时也会升级），再运行 gridloop doctor。",
        ),
        K.NO_DISTRICT: ("数据库 {subject} 尚未导入辖区。", "运行 gridloop import DIR。"),
        K.CONFIG_ERROR: (
            "配置错误：{detail}",
            "改正所指文件中的设置项（配置文件由 --config 或 GRIDLOOP_CONFIG 指定）。",
        ),
        K.RULES_ERROR: (
            "规则参数错误：{detail}",
            "改正规则参数文件（GRIDLOOP_RULES）中所指的设备类型、规则或参数。",
        ),
        K.UNKNOWN_DEPARTMENT: (
            "配置错误：{detail} 的 [routing] 指定了 {subject}，它既不是部门职能，"
            "也不是登记册中的部门编码。",
            "在 departments.csv 中登记该部门后运行 gridloop import DIR，"
            "或在 [routing] 中改用职能名（fire、gas、police 等）。",
        ),
        K.UNCOVERED_FUNCTION: (
            "没有部门承担“{label}”（{subject}）职能：{items} 类案件只派给网格员，无协办部门。",
            "在 departments.csv（列 code,name,phone,functions）中登记承担该职能的部门，"
            "functions 列填上 {subject}，再运行 gridloop import DIR。",
        ),
        K.GRIDS_WITHOUT_WORKER: (
            "{subject} 个网格没有网格员：{items}；其案件只能派给所属社区。",
            "在 workers.csv 的 grid_codes 列为这些网格指定网格员，再运行 gridloop import DIR。",
        ),
        K.WORKERS_WITHOUT_GRID: (
            "{subject} 名网格员不属于任何已登记的网格：{items}。",
            "在 workers.csv 中改正他们的 grid_codes，再运行 gridloop import DIR。",
        ),
        K.PARKED_OUTBOX: (
            "{subject} 条待办（开案、记录解除、通知）多次投递失败，已搁置。",
            "用 gridloop outbox status 查看原因，排除后运行 gridloop outbox redeliver --all。",
        ),
    },
    "en": {
        K.NO_DATABASE: (
            "database {subject} does not exist",
            "run gridloop import DIR to import a district (this creates the database)",
        ),
        K.UNREADABLE_DATABASE: (
            "cannot read database {subject}: {detail}",
            "check that --db or GRIDLOOP_DB names a gridloop database; restore a damaged one",
        ),
        K.SCHEMA_AHEAD: (
            "database {subject} has schema version {found}, newer than this gridloop ({latest})",
            "upgrade gridloop before using this database",
        ),
        K.SCHEMA_BEHIND: (
            "database {subject} has pending migrations (version {found} of {latest});"
            " its contents were not checked",
            "run gridloop init (any other command migrates too), then gridloop doctor again",
        ),
        K.NO_DISTRICT: ("database {subject} holds no district", "run gridloop import DIR"),
        K.CONFIG_ERROR: (
            "configuration error: {detail}",
            "correct the setting named (the file comes from --config or GRIDLOOP_CONFIG)",
        ),
        K.RULES_ERROR: (
            "rule parameter error: {detail}",
            "correct the kind, rule or parameter named in the rules file (GRIDLOOP_RULES)",
        ),
        K.UNKNOWN_DEPARTMENT: (
            "configuration error: [routing] of {detail} names {subject}, neither a department"
            " function nor a department code of the registry",
            "add the department to departments.csv and run gridloop import DIR,"
            " or name a function (fire, gas, police, ...) in [routing]",
        ),
        K.UNCOVERED_FUNCTION: (
            "no department has the function {subject}: cases of {items} go to the grid only",
            "give the department in charge the function {subject} (departments.csv, column"
            " functions), then run gridloop import DIR",
        ),
        K.GRIDS_WITHOUT_WORKER: (
            "{subject} grid(s) have no grid worker: {items}; their cases go to the community",
            "name a worker for them in workers.csv (grid_codes), then run gridloop import DIR",
        ),
        K.WORKERS_WITHOUT_GRID: (
            "{subject} worker(s) serve no registered grid: {items}",
            "correct their grid_codes in workers.csv, then run gridloop import DIR",
        ),
        K.PARKED_OUTBOX: (
            "{subject} outbox entries (open a case, record a clearing, notices) failed every"
            " delivery attempt and are parked",
            "find the cause with gridloop outbox status, remove it, then run"
            " gridloop outbox redeliver --all",
        ),
    },
}


def finding_lines(finding: Finding, lang: str) -> tuple[str, str]:
    """What is wrong, and how to fix it."""
    what, fix = TEXTS[lang][finding.kind]
    sep = "、" if lang == "zh" else ", "
    items = sep.join(finding.items[:SHOWN_ITEMS])
    if len(finding.items) > SHOWN_ITEMS:
        items += f"等 {len(finding.items)} 个" if lang == "zh" else f", … ({len(finding.items)})"
    fields = {
        "subject": finding.subject,
        "items": items,
        "detail": finding.detail,
        "label": _label(finding.subject),
        "found": finding.items[0] if finding.items else "",
        "latest": finding.items[-1] if finding.items else "",
    }
    return what.format(**fields), fix.format(**fields)


def report_lines(findings: Sequence[Finding], lang: str) -> list[str]:
    """The whole report: numbered findings with their fixes, then the verdict."""
    lines: list[str] = []
    for n, finding in enumerate(findings, 1):
        what, fix = finding_lines(finding, lang)
        if lang == "zh":
            lines += [f"问题 {n}：{what}", f"  修复：{fix}"]
        else:
            lines += [f"problem {n}: {what}", f"  fix: {fix}"]
    if lang == "zh":
        lines.append(f"共发现 {len(findings)} 个问题。" if findings else "检查完毕，未发现问题。")
    else:
        lines.append(f"{len(findings)} problem(s) found" if findings else "all checks passed")
    return lines


def finding_json(finding: Finding) -> dict[str, object]:
    what, fix = finding_lines(finding, "en")
    return {
        "kind": finding.kind.code,
        "config_error": finding.kind.config,
        "subject": finding.subject,
        "items": list(finding.items),
        "detail": finding.detail,
        "problem": what,
        "fix": fix,
    }


def _label(subject: str) -> str:
    try:
        return DepartmentFunction(subject).label_zh
    except ValueError:
        return subject
