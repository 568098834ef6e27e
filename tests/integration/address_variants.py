"""Registry addresses as citizens type them: a seeded mix of the usual variations."""

from __future__ import annotations

import random
import re

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CN_DIGITS = "零一二三四五六七八九"
VARIATIONS = (
    "full_width",
    "no_street_or_community",
    "no_street",
    "province_city_district",
    "district_without_qu",
    "dong",
    "chinese_numeral",
    "unit_and_room",
    "spaces_and_punctuation",
    "typo",
)


def chinese(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def variant(rng: random.Random, address: str, district: str, k: int = 3) -> str:
    """The address with k different variations applied."""
    chosen = set(rng.sample(VARIATIONS, k))
    s = address
    if "no_street_or_community" in chosen:
        s = s.partition(" ")[2] or s
    elif "no_street" in chosen:
        s = re.sub(r"^.*?街道", "", s)
    if "province_city_district" in chosen:
        s = "青海省西宁市" + district + s
    elif "district_without_qu" in chosen:
        s = "西宁市" + district.rstrip("区") + s
    if "dong" in chosen:
        s = re.sub(r"(\d+)号楼", lambda m: m.group(1) + rng.choice(["栋", "幢", "号栋"]), s)
    elif "chinese_numeral" in chosen:
        s = re.sub(r"(\d+)号楼", lambda m: chinese(int(m.group(1))) + "号楼", s)
    if "typo" in chosen:  # one character of a name dropped or replaced (never a number)
        spots = [i for i, ch in enumerate(s) if "\u4e00" <= ch <= "\u9fff" and ch not in "号楼栋幢"]
        spots = [i for i in spots[-8:] if s[i] not in CN_DIGITS + "十"]
        if spots:
            i = rng.choice(spots)
            s = s[:i] + (rng.choice("的了在是") if rng.random() < 0.5 else "") + s[i + 1 :]
    if "unit_and_room" in chosen:
        s += f"{rng.randint(1, 6)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}室"
    if "spaces_and_punctuation" in chosen:
        s = s.replace("号", "号 ", 1).replace("社区", "社区，", 1)
    if "full_width" in chosen:
        s = s.translate(FULL_WIDTH)
    return s
