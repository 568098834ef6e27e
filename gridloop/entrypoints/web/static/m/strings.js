// The phone page's words, added to the shared dictionary (zh-CN first, English on request).
import { extend, lang, t } from "/static/app/i18n.js";

extend({
  zh: {
    "m.title": "网格员", "m.skip": "跳到内容", "m.nav": "主要页面",
    "m.nav.cases": "我的案件", "m.nav.patrol": "巡查上报", "m.nav.stats": "本月数据",
    "m.todo": "待办案件", "m.done": "最近结案", "m.none": "暂无待办案件", "m.none_done": "暂无结案",
    "m.refresh": "刷新", "m.stale": "网络不可用,显示的是 {time} 保存的数据",
    "m.offline": "网络不可用,请稍后重试", "m.updated": "更新于 {time}",
    "m.due.sign": "签收", "m.due.handle": "处置", "m.left": "{what}剩余 {span}",
    "m.late": "{what}已超时 {span}", "m.waiting": "等待核查", "m.to_feedback": "待反馈",
    "m.span.d": "{d}天{h}小时", "m.span.h": "{h}小时{m}分", "m.span.m": "{m}分钟",
    "m.back": "返回我的案件", "m.case": "案件 {id}", "m.reported": "上报时间",
    "m.sign_due": "签收期限", "m.handle_due": "处置期限", "m.grid": "网格", "m.building": "楼栋",
    "m.place": "位置", "m.map": "案件位置与所在网格", "m.no_place": "此案件没有坐标",
    "m.history": "处理记录", "m.actions": "操作", "m.no_actions": "当前无需您操作",
    "m.photo": "拍照或选择照片", "m.photo.change": "重新拍照", "m.photo.remove": "移除照片",
    "m.photo.shrinking": "正在压缩照片…", "m.photo.ready": "照片 {size}",
    "m.photo.uploading": "上传中 {pct}%", "m.photo.uploaded": "照片已上传 ({size})",
    "m.photo.failed": "照片上传失败:{why}", "m.photo.unreadable": "无法读取此照片",
    "m.photo.retry": "重试上传", "m.photo.alt": "照片",
    "m.note.handle": "处置说明", "m.note.feedback": "反馈说明", "m.reason": "原因",
    "m.until": "延期至(北京时间)", "m.more": "其他操作",
    "m.act.sign": "签收", "m.act.handle": "提交处置", "m.act.feedback": "提交反馈",
    "m.act.return": "退单", "m.act.request_extension": "申请延期",
    "m.done.sign": "已签收", "m.done.handle": "已提交处置", "m.done.feedback": "已反馈,等待核查",
    "m.done.return": "已退单", "m.done.request_extension": "延期申请已提交",
    "m.busy": "请稍候…", "m.photo_busy": "照片仍在上传,请稍候",
    "m.patrol": "巡查上报", "m.category": "类别", "m.description": "情况描述",
    "m.severity": "紧急程度", "m.sev.minor": "一般", "m.sev.major": "较急", "m.sev.critical": "紧急",
    "m.location": "位置", "m.locate": "使用我的位置", "m.locating": "正在定位…",
    "m.located": "已定位:{lat}, {lon}(精度约 {acc} 米)", "m.unlocated": "尚未定位",
    "m.geo.denied": "无法使用定位:您拒绝了位置权限。可在浏览器设置中允许,或改用网格中心。",
    "m.geo.failed": "定位失败,请重试或改用网格中心。", "m.geo.none": "此设备不支持定位,请改用网格中心。",
    "m.centre": "改用网格中心", "m.centre.grid": "网格", "m.centred": "已选网格中心:{grid}",
    "m.patrol.photo": "附照片后将同时签收该案件(照片随签收提交)。",
    "m.patrol.submit": "提交上报", "m.patrol.need_place": "请先定位或选择网格中心",
    "m.patrol.done": "已上报,案件 {id}", "m.patrol.merged": "已并入案件 {id}",
    "m.stats": "本月数据", "m.stats.scope": "{month} · 我的案件", "m.stats.none": "暂无数据",
    "m.error": "操作未成功:{why}",
    "m.notice.assigned": "新派案件 {id}", "m.notice.rework": "案件 {id} 需返工",
    "m.notice.escalated": "案件 {id} 已督办", "m.notice.other": "案件 {id} 有更新",
    "state.dispatched": "已派遣", "state.signed": "已签收", "state.handled": "已处置",
    "state.awaiting_verification": "待核查", "state.verified": "已核查", "state.closed": "已结案",
    "state.returned": "已退单", "state.deferred": "缓办", "state.merged": "已合并",
    "state.reported": "已上报", "state.registered": "已立案", "state.refused": "不予立案",
    "action.report": "上报", "action.register": "立案", "action.dispatch": "派遣",
    "action.sign": "签收", "action.handle": "处置", "action.feedback": "反馈",
    "action.verify_pass": "核查通过", "action.verify_fail": "核查不通过", "action.close": "结案",
    "action.return": "退单", "action.request_extension": "申请延期",
    "action.grant_extension": "同意延期", "action.refuse_extension": "不同意延期",
    "action.escalate": "督办", "action.rate": "回访评价", "action.reopen": "重新处置",
    "action.defer": "缓办", "action.resume": "恢复办理", "action.merge": "合并",
    "action.absorb": "并入", "action.locate": "定位",
  },
  en: {
    "m.title": "Grid worker", "m.skip": "Skip to content", "m.nav": "Main pages",
    "m.nav.cases": "My cases", "m.nav.patrol": "Patrol report", "m.nav.stats": "This month",
    "m.todo": "To do", "m.done": "Recently closed", "m.none": "Nothing to do",
    "m.none_done": "No closed cases yet", "m.refresh": "Refresh",
    "m.stale": "Offline: showing data saved at {time}", "m.offline": "Offline: please try again",
    "m.updated": "Updated {time}",
    "m.due.sign": "Sign", "m.due.handle": "Handle", "m.left": "{what}: {span} left",
    "m.late": "{what}: overdue by {span}", "m.waiting": "Awaiting verification",
    "m.to_feedback": "Feedback to send",
    "m.span.d": "{d} d {h} h", "m.span.h": "{h} h {m} min", "m.span.m": "{m} min",
    "m.back": "Back to my cases", "m.case": "Case {id}", "m.reported": "Reported",
    "m.sign_due": "Sign by", "m.handle_due": "Handle by", "m.grid": "Grid", "m.building": "Building",
    "m.place": "Place", "m.map": "The case's place and its grid", "m.no_place": "This case has no coordinates",
    "m.history": "History", "m.actions": "Actions", "m.no_actions": "Nothing for you to do now",
    "m.photo": "Take or choose a photo", "m.photo.change": "Retake photo",
    "m.photo.remove": "Remove photo", "m.photo.shrinking": "Shrinking the photo…",
    "m.photo.ready": "Photo {size}", "m.photo.uploading": "Uploading {pct}%",
    "m.photo.uploaded": "Photo uploaded ({size})", "m.photo.failed": "Photo upload failed: {why}",
    "m.photo.unreadable": "This photo cannot be read", "m.photo.retry": "Retry upload",
    "m.photo.alt": "Photo",
    "m.note.handle": "What was done", "m.note.feedback": "Feedback", "m.reason": "Reason",
    "m.until": "Extend until (Beijing time)", "m.more": "Other actions",
    "m.act.sign": "Sign for it", "m.act.handle": "Submit handling", "m.act.feedback": "Send feedback",
    "m.act.return": "Return", "m.act.request_extension": "Ask for an extension",
    "m.done.sign": "Signed", "m.done.handle": "Handling submitted",
    "m.done.feedback": "Feedback sent: awaiting verification", "m.done.return": "Returned",
    "m.done.request_extension": "Extension requested",
    "m.busy": "Please wait…", "m.photo_busy": "The photo is still uploading",
    "m.patrol": "Patrol report", "m.category": "Category", "m.description": "What you found",
    "m.severity": "Urgency", "m.sev.minor": "Minor", "m.sev.major": "Major", "m.sev.critical": "Critical",
    "m.location": "Location", "m.locate": "Use my location", "m.locating": "Locating…",
    "m.located": "Located: {lat}, {lon} (about {acc} m)", "m.unlocated": "Not located yet",
    "m.geo.denied": "Location is blocked: you refused the permission. Allow it in the browser settings, or use the grid's centre.",
    "m.geo.failed": "Could not locate you: try again or use the grid's centre.",
    "m.geo.none": "This device cannot locate: use the grid's centre.",
    "m.centre": "Use the grid's centre", "m.centre.grid": "Grid", "m.centred": "Grid centre: {grid}",
    "m.patrol.photo": "With a photo, the case is also signed for (the photo goes with the sign-for).",
    "m.patrol.submit": "Send report", "m.patrol.need_place": "Locate yourself or choose the grid's centre first",
    "m.patrol.done": "Reported: case {id}", "m.patrol.merged": "Joined case {id}",
    "m.stats": "This month", "m.stats.scope": "{month} · my cases", "m.stats.none": "No data yet",
    "m.error": "Not done: {why}",
    "m.notice.assigned": "New case {id}", "m.notice.rework": "Case {id} needs rework",
    "m.notice.escalated": "Case {id} was escalated", "m.notice.other": "Case {id} changed",
    "state.dispatched": "Dispatched", "state.signed": "Signed", "state.handled": "Handled",
    "state.awaiting_verification": "Awaiting verification", "state.verified": "Verified",
    "state.closed": "Closed", "state.returned": "Returned", "state.deferred": "Deferred",
    "state.merged": "Merged", "state.reported": "Reported", "state.registered": "Registered",
    "state.refused": "Not registered",
    "action.report": "Reported", "action.register": "Registered", "action.dispatch": "Dispatched",
    "action.sign": "Signed", "action.handle": "Handled", "action.feedback": "Feedback",
    "action.verify_pass": "Verified", "action.verify_fail": "Verification failed",
    "action.close": "Closed", "action.return": "Returned",
    "action.request_extension": "Extension asked", "action.grant_extension": "Extension granted",
    "action.refuse_extension": "Extension refused", "action.escalate": "Escalated",
    "action.rate": "Rated", "action.reopen": "Reopened", "action.defer": "Deferred",
    "action.resume": "Resumed", "action.merge": "Merged", "action.absorb": "Absorbed",
    "action.locate": "Located",
  },
});

/** The state's name: the page's words, else the server's Chinese label, else the code. */
export function stateName(doc) {
  const key = `state.${doc.state}`;
  const text = t(key);
  return text === key ? doc.state_zh || doc.state : text;
}

export function categoryName(doc) {
  const name = lang() === "en" ? doc.category_label_en : doc.category_label;
  return name || doc.category;
}

export function actionName(code) {
  const text = t(`action.${code}`);
  return text === `action.${code}` ? code : text;
}

/** HTML-escape text put into templates. */
export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
