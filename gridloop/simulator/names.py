"""Chinese names for people, streets, communities, roads and compounds, drawn from a seed."""

from __future__ import annotations

from enum import Enum

import numpy as np


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Surnames with rough weights; 马, 韩 and 冶 are far more common in Xining than nationally.
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
    "贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
    "雷钱汤尹易常武乔贺赖文祁鲁冶"
)
_HEAVY = {"王": 7.0, "李": 7.0, "张": 6.0, "刘": 5.0, "马": 6.0, "陈": 3.0, "杨": 3.0, "赵": 2.5}
SURNAME_WEIGHTS = np.array([_HEAVY.get(s, 1.0) for s in SURNAMES]) / sum(
    _HEAVY.get(s, 1.0) for s in SURNAMES
)


class Generation(Enum):
    """Given names follow fashions: an 80-year-old is a 桂兰, not a 梓涵."""

    OLD = (
        "建国 国庆 德福 振华 永福 长春 福生 建华 文明 玉山 有福 占元 国祥 明德 守仁 秀英 桂兰 "
        "玉兰 淑珍 凤英 秀兰 桂英 玉珍 翠花 兰英 金花 素珍 玉梅 秀珍 淑华 桂芳 春花 德明 有才 "
        "生财 福海 玉林 万福 兰芳 秀芝"
    )
    ADULT = (
        "伟 磊 勇 军 杰 涛 超 明 刚 平 辉 鹏 华 飞 鑫 波 斌 宇 浩 凯 健 静 丽 敏 艳 娟 霞 燕 芳 "
        "婷 雪 琳 倩 颖 慧 玲 丹 萍 红 梅 洁 莉 志强 海燕 建军 晓东 丽娟 春梅 晓燕 文博 永刚 "
        "海军 红梅 小军 立新 晓红 海峰 卫东 丽萍 金龙 亚楠 俊峰 晓明 玉洁 海涛 雪莲 国栋 春燕"
    )
    CHILD = (
        "子涵 梓萱 浩然 宇轩 一诺 欣怡 思远 俊杰 佳怡 雨桐 梓轩 诗涵 子墨 若汐 沐宸 语桐 "
        "皓轩 欣妍 嘉怡 锦程 雨泽 思琪 晨曦 梓豪"
    )

    @property
    def pool(self) -> tuple[str, ...]:
        return tuple(str(self.value).split())


MOBILE_PREFIXES = _words(
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 170 173 "
    "176 177 178 180 181 182 183 184 185 186 187 188 189 191 193 195 198 199"
)

PLACE_STEMS = _words(
    "尕寺 杨家 贾小 海晏 文亭 冷湖 西川 兴旺 康乐 新西 林家 苏家 光华 五四 建设 海湖 "
    "同仁 昆仑 湟水 麒麟 虎台 古城 胜利 黄河 兴海 通海 文汇 新宁 西关 殷家 彭家 朝阳 "
    "祁连 门源 湟源 大通 互助 乐都 民和 化隆 循化 贵德 共和 刚察 天峻 都兰 德令 玉树 "
    "果洛 湟中 夏都 青藏 柴达 日月 南山 北山 凤凰 杨柳 丁香 桃李 红旗 团结 和平 幸福 "
    "安宁 吉祥 金塔 银河 翠柏 花园 宁湖 阳光 长青 南川 沈家 小桥 马坊 韵家 景岳 泉湾 "
    "中庄 火烧"
)
STREET_SUFFIXES = ("路", "大街", "西路", "东路", "南路", "北路", "中路", "")
COMMUNITY_SUFFIXES = ("巷", "路", "庄", "湾", "苑", "里", "园", "台", "坪", "街", "沟", "村")
ROAD_SUFFIXES = ("路", "街", "巷", "大街", "西路", "东路", "南路", "北路")
COMPOUND_STEMS = _words(
    "阳光 锦绣 和平 幸福 金桥 华润 昆仑 湟水 西城 康乐 海湖 同心 丽景 翠苑 碧桂 万达 "
    "中房 凤凰 麒麟 金域 紫金 天润 新城 福苑 祥和 雅居 怡景 兰亭 盛世 书香 水岸 枫林"
)
COMPOUND_SUFFIXES = ("花园", "小区", "家园", "嘉园", "苑", "公寓", "新村", "名居", "雅居", "佳苑")
WORK_UNITS = _words(
    "铁路 电力 供电局 医药公司 农行 邮电 水电 粮食局 气象局 纺织厂 毛纺厂 建工 商业局 卫生局"
)


class NameBank:
    """Every name the simulator needs, drawn from one random generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def _pick(self, pool: tuple[str, ...] | list[str], n: int) -> list[str]:
        return [pool[i] for i in self.rng.integers(len(pool), size=n).tolist()]

    def _unique(self, candidates: list[str], n: int) -> list[str]:
        if n > len(candidates):
            raise ValueError(f"only {len(candidates)} distinct names for {n}")
        return [candidates[i] for i in self.rng.permutation(len(candidates))[:n].tolist()]

    def street_names(self, n: int, fixed: tuple[str, ...]) -> list[str]:
        """`fixed` first, then distinct generated names such as 海晏路街道."""
        made = [f"{s}{x}街道" for s in PLACE_STEMS for x in STREET_SUFFIXES]
        made = [m for m in made if m not in fixed]
        return [*fixed[:n], *self._unique(made, max(0, n - len(fixed)))]

    def community_names(self, n: int) -> list[str]:
        """Distinct names such as 尕寺巷社区 or 海湖路东社区."""
        plain = [f"{s}{x}社区" for s in PLACE_STEMS for x in COMMUNITY_SUFFIXES]
        sided = [f"{s}{x}{d}社区" for s in PLACE_STEMS for x in ("路", "街") for d in "东西南北"]
        if n <= len(plain):
            return self._unique(plain, n)
        return self._unique(plain, len(plain)) + self._unique(sided, n - len(plain))

    def roads(self, n: int) -> list[str]:
        """`n` distinct road names such as 五四西路."""
        stems = self._pick(PLACE_STEMS, n * 2)
        suffixes = self._pick(ROAD_SUFFIXES, n * 2)
        return list(dict.fromkeys(a + b for a, b in zip(stems, suffixes, strict=True)))[:n]

    def compounds(self, n: int) -> list[str]:
        """`n` compound names, distinct among themselves: 阳光花园, 铁路小区, 电力家属院."""
        chosen: list[str] = []
        while len(chosen) < n:
            roll = float(self.rng.random())
            if roll < 0.15:
                name = f"{self._pick(WORK_UNITS, 1)[0]}家属院"
            elif roll < 0.25:
                name = f"{self._pick(WORK_UNITS, 1)[0]}小区"
            else:
                stem, suffix = self._pick(COMPOUND_STEMS, 1)[0], self._pick(COMPOUND_SUFFIXES, 1)[0]
                name = stem + suffix
            if name not in chosen:
                chosen.append(name)
        return chosen

    def people(self, generations: list[Generation]) -> list[str]:
        """One full name per entry, its given name in the fashion of that generation."""
        n = len(generations)
        surnames = self.rng.choice(len(SURNAMES), size=n, p=SURNAME_WEIGHTS).tolist()
        rolls = self.rng.random(n).tolist()
        pools = {g: g.pool for g in Generation}
        out: list[str] = []
        for s, roll, gen in zip(surnames, rolls, generations, strict=True):
            pool = pools[gen]
            out.append(SURNAMES[s] + pool[int(roll * len(pool))])
        return out

    def relatives(self, names: list[str]) -> list[str]:
        """A relative for each name: half share the surname (a son), half do not (a daughter)."""
        others = self.people([Generation.ADULT] * len(names))
        keep = (self.rng.random(len(names)) < 0.5).tolist()
        return [n[0] + o[1:] if k else o for n, o, k in zip(names, others, keep, strict=True)]

    def mobiles(self, n: int) -> list[str]:
        """`n` mobile numbers: 11 digits, a real carrier prefix."""
        prefixes = self._pick(MOBILE_PREFIXES, n)
        tails = self.rng.integers(0, 100_000_000, size=n).tolist()
        return [f"{p}{t:08d}" for p, t in zip(prefixes, tails, strict=True)]
