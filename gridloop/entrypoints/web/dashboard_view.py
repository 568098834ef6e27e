"""The command center's JSON: figures as the service computed them, with names in both
languages so the page switches language without asking again."""

from __future__ import annotations

from gridloop.domain.cases.summary import CaseSummary
from gridloop.domain.devices.catalog import KindCatalog
from gridloop.entrypoints.case_view import case_json
from gridloop.entrypoints.timefmt import iso
from gridloop.service_layer.case_directory import CaseDirectory
from gridloop.service_layer.command_views import GridPanel, Queues
from gridloop.service_layer.dashboard import Overview
from gridloop.service_layer.device_status import DeviceStatus
from gridloop.service_layer.ports import AlertRow
from gridloop.service_layer.reporting import category_labeller, indicator_values

RANKING_KEYS = (
    "registered",
    "closed",
    "closure_rate",
    "on_time_closure_rate",
    "on_time_handling_rate",
    "satisfaction_rate",
    "dispatch_accuracy",
)


class Labels:
    def __init__(self, kinds: KindCatalog, directory: CaseDirectory) -> None:
        self.kinds, self.directory = kinds, directory
        self.names = directory.names
        self.rule_zh = category_labeller(kinds, "zh")
        self.rule_en = category_labeller(kinds, "en")

    def kind_names(self, code: str) -> dict[str, str]:
        if code not in self.kinds:
            return {"zh": code, "en": code}
        kind = self.kinds.get(code)
        return {"zh": kind.label_zh, "en": kind.label_en}

    def overview_json(self, o: Overview) -> dict[str, object]:
        t = o.tiles
        rankings: dict[str, object] = {}
        for by, rows in o.rankings.items():
            rankings[by.value] = [
                {
                    "code": code,
                    "name": self.names.get(code, code),
                    **{k: v for k, v in indicator_values(r).items() if k in RANKING_KEYS},
                }
                for code, r in rows
            ]
        return {
            "at": iso(o.at),
            "day_start": iso(o.day_start),
            "scope": {"facet": o.scope.facet and o.scope.facet.value, "code": o.scope.code},
            "tiles": {
                "warnings": t.warnings,
                "opened": t.opened,
                "closed": t.closed,
                "closure_rate": t.closure_rate,
                "on_time_closure_rate": t.on_time_closure_rate,
                "overdue_now": t.overdue_now,
            },
            "trend": [
                {
                    "day": (iso(d.start) or "")[:10],
                    "warnings": d.warnings,
                    "opened": d.opened,
                    "closed": d.closed,
                }
                for d in o.trend
            ],
            "rankings": rankings,
            "devices": [
                {
                    "kind": h.kind,
                    "names": self.kind_names(h.kind),
                    "online": h.online,
                    "offline": h.offline,
                }
                for h in o.health
            ],
        }

    def alert_json(self, a: AlertRow) -> dict[str, object]:
        point = self.directory.devices.get(a.device_id)
        return {
            "id": a.id,
            "device_id": a.device_id,
            "kind": a.kind,
            "kind_names": self.kind_names(a.kind),
            "rule": a.rule,
            "rule_names": {"zh": self.rule_zh(a.rule), "en": self.rule_en(a.rule)},
            "severity": a.severity,
            "status": a.status,
            "lon": point.lon if point else None,
            "lat": point.lat if point else None,
            "grid_code": a.grid_code,
            "grid_name": self.names.get(a.grid_code, a.grid_code),
            "started_at": iso(a.started_at),
            "case_id": a.case_id,
        }

    def case_json(self, s: CaseSummary, now: int) -> dict[str, object]:
        doc = case_json(s, now, masked=True)
        doc["category_names"] = {"zh": self.rule_zh(s.category), "en": self.rule_en(s.category)}
        doc["grid_name"] = self.names.get(s.grid_code or "", s.grid_code)
        doc["assignee_name"] = self.names.get(s.assignee or "", s.assignee)
        return doc

    def grid_json(self, p: GridPanel, now: int) -> dict[str, object]:
        g = p.grid
        return {
            "code": g.code,
            "name": g.name,
            "community": {"code": g.community_code, "name": p.community_name},
            "street": {"code": g.street_code, "name": p.street_name},
            "households": g.households,
            "workers": [{"id": w, "name": name} for w, name in p.workers],
            "cases": [self.case_json(s, now) for s in p.cases],
            "devices": [self._device(s) for s in p.devices],
        }

    def _device(self, s: DeviceStatus) -> dict[str, object]:
        d = s.device
        return {
            "id": d.id,
            "kind": d.kind,
            "kind_names": self.kind_names(d.kind),
            "building_code": d.building_code or None,
            "online": s.online,
            "last_seen": iso(s.last_seen),
        }

    def queues_json(self, q: Queues, now: int) -> dict[str, object]:
        def many(items: list[CaseSummary] | None) -> list[dict[str, object]] | None:
            return None if items is None else [self.case_json(s, now) for s in items]

        return {
            "unlocated": many(q.unlocated),
            "returned": many(q.returned),
            "awaiting_verification": many(q.awaiting_verification),
            "extensions": many(q.extensions),
        }
