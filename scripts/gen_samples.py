#!/usr/bin/env python3
"""Generate the fictional Gansu sample data set in samples/gansu-2024 and samples/gansu-2023.

Deterministic (fixed seed, standard library only): running it twice gives the same bytes.

What is real and what is invented:
- The number of 中职 schools per 市州 and 达标分类 follows table 1, and full-time enrolment per
  市州 follows table 3, of 《甘肃省中等职业教育质量年度报告（2024年）》 (seed 004). Province-level
  生均 values are scaled to table 6 (生均用地 91.37, 生均校舍 56.08, 生均仪器设备值 12852.14 元,
  生均图书 87.08 册, 生师比 10.09) and about 84% of schools meet every key indicator.
- Everything else is invented: school, enterprise and person names (all contain 「样例」 so they
  can never be mistaken for a real institution), codes, per-school figures, teachers, internships,
  wages, general upper-secondary enrolment, funding.
- A few cells are deliberately wrong so reports show data errors: 「约100」 in a number column,
  an empty required cell, a 「—」 marker, a duplicated key row, and (as in table 3 itself) a
  blank 白银市 enrolment figure.

Usage: python3 scripts/gen_samples.py [OUTPUT_ROOT]   (default: samples/ next to this script's parent)
"""

import csv
import math
import os
import random
import sys

SEED = 20241031

CITIES = ["兰州市", "嘉峪关市", "金昌市", "白银市", "天水市", "武威市", "张掖市", "平凉市",
          "酒泉市", "庆阳市", "定西市", "陇南市", "临夏回族自治州", "甘南藏族自治州"]
SHORT = {"兰州市": "兰州", "嘉峪关市": "嘉峪关", "金昌市": "金昌", "白银市": "白银", "天水市": "天水",
         "武威市": "武威", "张掖市": "张掖", "平凉市": "平凉", "酒泉市": "酒泉", "庆阳市": "庆阳",
         "定西市": "定西", "陇南市": "陇南", "临夏回族自治州": "临夏", "甘南藏族自治州": "甘南",
         "省属": "甘肃省"}

GROUPS = ["一般类", "边远脱贫地区", "附设中职班", "其他机构", "特殊教育类", "体育类", "艺术类"]

# Table 1. The PDF-to-text extraction dropped the empty cells, so the 一般类, 边远脱贫地区 and
# 附设中职班 columns (which agree with the printed column totals 92/25/3) are certain, while the
# assignment of the remaining 17 schools to 其他机构/特殊教育类/体育类/艺术类 is a reconstruction
# that keeps every row total.
TABLE1 = {
    "省属":           [11, 0, 0, 0, 1, 1, 2],
    "白银市":         [4, 3, 1, 0, 0, 0, 0],
    "定西市":         [6, 3, 0, 0, 1, 0, 0],
    "嘉峪关市":       [1, 0, 0, 0, 1, 0, 0],
    "金昌市":         [2, 0, 0, 0, 0, 0, 0],
    "酒泉市":         [8, 0, 0, 0, 1, 0, 1],
    "兰州市":         [14, 0, 0, 1, 1, 0, 2],
    "陇南市":         [4, 6, 0, 0, 0, 0, 0],
    "平凉市":         [5, 2, 0, 0, 1, 0, 0],
    "庆阳市":         [9, 2, 0, 0, 0, 0, 0],
    "天水市":         [5, 5, 1, 0, 1, 0, 0],
    "武威市":         [8, 1, 0, 0, 1, 0, 1],
    "张掖市":         [7, 0, 1, 0, 1, 0, 0],
    "临夏回族自治州": [6, 2, 0, 0, 0, 0, 0],
    "甘南藏族自治州": [2, 1, 0, 0, 0, 0, 0],
}

# Table 3: 全日制中职学历教育在校生数 and 招生数 (白银市's 招生数 is blank in the report).
FULLTIME = {"省属": 12012, "白银市": 9019, "定西市": 12649, "甘南藏族自治州": 4096, "嘉峪关市": 399,
            "金昌市": 2859, "酒泉市": 8263, "兰州市": 13072, "临夏回族自治州": 5181, "陇南市": 11902,
            "平凉市": 14931, "庆阳市": 16553, "天水市": 21725, "武威市": 11723, "张掖市": 11116}
INTAKE = {"省属": 1669, "白银市": None, "定西市": 3873, "甘南藏族自治州": 733, "嘉峪关市": 105,
          "金昌市": 618, "酒泉市": 1229, "兰州市": 4056, "临夏回族自治州": 2039, "陇南市": 3040,
          "平凉市": 4230, "庆阳市": 4424, "天水市": 6964, "武威市": 2224, "张掖市": 2148}
PROVINCE_INTAKE = 39204

# Tables 1 and 3 as printed (region_stats.csv), row by row in the report's order, for the
# DQ-09…DQ-12 consistency rules. Unlike TABLE1 above, nothing is reconstructed here: an empty cell
# the extraction leaves in place is 0 (the table prints no zeros); a cell whose column the
# extraction lost is None (blank in the CSV, 数据缺失 in the report). Rows with 8 fields (省属,
# 白银市) and rows whose 一般类 + 边远脱贫地区 + 附设中职班 already make the row total are certain;
# in the other rows the first three columns are certain (their column sums are the printed 92/25/3)
# but which of 其他机构/特殊教育类/体育类/艺术类 the remaining one or two numbers belong to is not.
# Columns: 一般类, 边远脱贫地区, 附设中职班, 其他机构, 特殊教育类, 体育类, 艺术类, 总计.
U = None
SEED_TABLE1 = [
    ("省属",           [11, 0, 0, 1, 0, 1, 2, 15]),
    ("白银市",         [4, 3, 1, 0, 0, 0, 0, 8]),
    ("定西市",         [6, 3, 0, U, U, U, U, 10]),
    ("嘉峪关市",       [1, 0, 0, U, U, U, U, 2]),
    ("金昌市",         [2, 0, 0, 0, 0, 0, 0, 2]),
    ("酒泉市",         [8, 0, 0, U, U, U, U, 10]),
    ("兰州市",         [14, 0, 0, U, U, U, U, 18]),
    ("陇南市",         [4, 6, 0, 0, 0, 0, 0, 10]),
    ("平凉市",         [5, 2, 0, U, U, U, U, 8]),
    ("庆阳市",         [9, 2, 0, 0, 0, 0, 0, 11]),
    ("天水市",         [5, 5, 1, U, U, U, U, 12]),
    ("武威市",         [8, 1, 0, U, U, U, U, 11]),
    ("张掖市",         [7, 0, 1, U, U, U, U, 9]),
    ("临夏回族自治州", [6, 2, 0, 0, 0, 0, 0, 8]),
    ("甘南藏族自治州", [2, 1, 0, 0, 0, 0, 0, 3]),
    # The printed total row has seven numbers for eight columns (92 25 3 1 1 9 137): the four
    # small columns cannot be placed.
    ("总计",           [92, 25, 3, U, U, U, U, 137]),
]
# Table 3, first three columns (在校生总数, 非全日制, 全日制), exactly as printed, including the
# rows that do not add up (金昌市, 兰州市, 武威市, 总计): the rules are meant to find them.
SEED_TABLE3 = {
    "省属": (13813, 1801, 12012), "白银市": (9019, 0, 9019), "定西市": (12649, 0, 12649),
    "甘南藏族自治州": (4096, 0, 4096), "嘉峪关市": (399, 0, 399), "金昌市": (2859, 1369, 2859),
    "酒泉市": (9183, 920, 8263), "兰州市": (13097, 1594, 13072), "临夏回族自治州": (5181, 0, 5181),
    "陇南市": (11902, 0, 11902), "平凉市": (16374, 1443, 14931), "庆阳市": (16553, 0, 16553),
    "天水市": (21725, 0, 21725), "武威市": (11723, 843, 11723), "张掖市": (11116, 0, 11116),
    "总计": (159689, 7970, 155500),
}

# Province-level figures of the 2024 report for the 甘政发〔2020〕38号 targets and the 双师型 share
# (region.csv, province row only; blank where the seed gives no figure, so those rules say 数据缺失).
PROVINCE_TARGETS = [
    ("省级优质中等职业学校数", "33"),        # 1.1: "33 所被认定为省级优质中等职业学校"
    ("省级优质专业数", "148"),               # 1.3: "打造省级优质专业（群）148 个"
    ("省级高水平高职院校数", ""),            # not in the seed
    ("省级高水平专业群数", ""),              # not in the seed
    ("国家示范性职教集团数", ""),            # not in the seed
    ("产教融合型城市数", "3"),               # 6.x: "培育 3 个产教融合城市"
    ("双师型教师占专业课教师比例", "49.02%"),  # 表3 教学资源表: "“双师型”教师比例 % 49.02"
]

# Table 6.
TARGET = {"land": 91.37, "building": 56.08, "equipment_yuan": 12852.14, "books": 87.08, "ratio": 10.09}

# Key-indicator thresholds, mirroring rules/dabiao_2022.rules (ZZ-20).
def key_thresholds(kind):
    land = 30000 if kind == "技工学校" else 40000
    building = 18000 if kind == "技工学校" else 24000
    return {"land": land, "land_ps": 33, "building": building, "building_ps": 20,
            "teachers": 60, "ratio": 20, "equipment_wan": 300, "equipment_ps": 2500, "books_ps": 30}

CN_NUM = "一二三四五六七八九十"


def ordinal(n):
    if n <= 10:
        return CN_NUM[n - 1]
    if n < 20:
        return "十" + CN_NUM[n - 11]
    return CN_NUM[n // 10 - 1] + "十" + (CN_NUM[n % 10 - 1] if n % 10 else "")


def allocate(total, weights):
    """Split an integer total in proportion to weights (largest remainder); exact sum."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    base = [int(math.floor(x)) for x in raw]
    rest = total - sum(base)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    return base


def fill_to_total(total, floors, weights, integer):
    """Values v_i >= floors[i], proportional to weights where the floor does not bind, summing to total."""
    lo, hi = 0.0, 1.0
    def sized(k):
        return [max(f, k * w) for f, w in zip(floors, weights)]
    while sum(sized(hi)) < total:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if sum(sized(mid)) < total:
            lo = mid
        else:
            hi = mid
    vals = sized(hi)
    if integer:
        vals = [int(math.ceil(v)) for v in vals]
        # Take the excess off the largest values that stay above their floor.
        excess = sum(vals) - int(round(total))
        order = sorted(range(len(vals)), key=lambda i: -vals[i])
        i = 0
        while excess > 0 and order:
            j = order[i % len(order)]
            if vals[j] - 1 >= floors[j]:
                vals[j] -= 1
                excess -= 1
            i += 1
            if i > 10 * len(vals) * (excess + 1):
                break
    else:
        vals = [round(v, 2) for v in vals]
        diff = round(total - sum(vals), 2)
        j = max(range(len(vals)), key=lambda i: vals[i])
        vals[j] = round(vals[j] + diff, 2)
    return vals


def credit_code(rng, city_idx):
    # 18 characters in the GB 32100 alphabet; fictional, with a valid check character so that
    # a future format rule would accept them.
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    body = "91" + "62%02d00" % (city_idx + 1) + "".join(rng.choice(alphabet) for _ in range(9))
    total = sum(alphabet.index(c) * w for c, w in zip(body, weights))
    check = alphabet[(31 - total % 31) % 31]
    return body + check


def build_schools(rng):
    schools = []
    seq = 0
    kind_for_group = {"附设中职班": "附设中职班", "其他机构": "其他机构", "特殊教育类": "特殊教育学校",
                      "体育类": "体育学校", "艺术类": "艺术学校"}
    for city in ["省属"] + CITIES:
        counts = TABLE1[city]
        ordinal_in_city = 0
        for g, n in zip(GROUPS, counts):
            for _ in range(n):
                seq += 1
                ordinal_in_city += 1
                if g in kind_for_group:
                    kind = kind_for_group[g]
                else:
                    kind = rng.choices(["普通中专", "职业高中", "技工学校", "成人中专"], [50, 38, 8, 4])[0]
                if kind == "艺术学校":
                    category = "艺术类"
                elif kind == "体育学校":
                    category = "体育类"
                elif kind in ("特殊教育学校", "附设中职班", "其他机构"):
                    category = "综合类"
                else:
                    category = rng.choices(["工科类", "财经类", "医药类", "农林类", "综合类", "师范类"],
                                           [36, 18, 12, 12, 16, 6])[0]
                short = SHORT[city]
                suffix = {"普通中专": "职业中等专业学校", "职业高中": "职业高级中学", "技工学校": "技工学校",
                          "成人中专": "成人中等专业学校", "艺术学校": "艺术学校", "体育学校": "体育运动学校",
                          "特殊教育学校": "特殊教育学校", "附设中职班": "普通高中附设中职班",
                          "其他机构": "职业技能培训中心"}[kind]
                if category == "医药类" and kind == "普通中专":
                    suffix = "卫生学校"
                name = "%s样例第%s%s" % (short, ordinal(ordinal_in_city), suffix)
                schools.append({
                    "code": "6262%06d" % (100000 + seq * 7),
                    "name": name, "level": "中职", "city": city, "kind": kind, "group": g,
                    "category": category,
                    "founded_year": rng.randint(1952, 2016),
                })
    return schools


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(here), "samples")
    rng = random.Random(SEED)

    schools = build_schools(rng)
    assert len(schools) == 137

    # Enrolment per school: split each city's full-time total by a weight per kind.
    kind_weight = {"普通中专": (0.8, 1.6), "职业高中": (0.6, 1.3), "技工学校": (0.5, 1.0), "成人中专": (0.3, 0.6),
                   "艺术学校": (0.2, 0.35), "体育学校": (0.2, 0.3), "特殊教育学校": (0.05, 0.1),
                   "附设中职班": (0.08, 0.15), "其他机构": (0.1, 0.2)}
    for city in ["省属"] + CITIES:
        members = [s for s in schools if s["city"] == city]
        weights = [rng.uniform(*kind_weight[s["kind"]]) for s in members]
        for s, n in zip(members, allocate(FULLTIME[city], weights)):
            s["students"] = max(n, 1)
    total_students = sum(s["students"] for s in schools)
    assert total_students == 155500, total_students

    # One school founded after 2021: outside the 达标工程 scope.
    newest = [s for s in schools if s["kind"] == "职业高中" and s["city"] == "陇南市"][0]
    newest["founded_year"] = 2023

    # Who meets every key indicator: 115 of 137 (83.9%). Of the four schools outside the ZZ-20
    # scope (three 附设中职班 and the new school) two meet and two do not, so ZZ-20 itself shows
    # 113 of 133 (85.0%).
    out_of_scope = [s for s in schools if s["kind"] == "附设中职班" or s["founded_year"] >= 2022]
    in_scope = [s for s in schools if s not in out_of_scope]
    for i, s in enumerate(sorted(out_of_scope, key=lambda s: s["code"])):
        s["meets"] = i % 2 == 0
    failing = set(id(s) for s in rng.sample(in_scope, 20))
    for s in in_scope:
        s["meets"] = id(s) not in failing
    for s in schools:
        s["fails"] = set()
        if not s["meets"]:
            k = rng.choices([1, 2], [70, 30])[0]
            s["fails"] = set(rng.sample(["land", "building", "teachers", "equipment", "books"], k))

    # Deliberate bad cells. They go to schools that fail on some other indicator anyway, so that
    # the share of schools passing ZZ-20 stays near 84%; their hidden value is left out of the
    # province totals, exactly as the DQ-06 aggregation (coalesce → 0) leaves it out.
    bad_pool = sorted([s for s in in_scope if not s["meets"]], key=lambda s: s["code"])
    bad_teachers = next(s for s in bad_pool if "teachers" not in s["fails"] and s["students"] >= 800)
    bad_land = next(s for s in bad_pool if s is not bad_teachers and "land" not in s["fails"])
    bad_books = next(s for s in bad_pool if s not in (bad_teachers, bad_land) and "books" not in s["fails"])
    bad_teachers["bad"] = "teachers"
    bad_land["bad"] = "land"
    bad_books["bad"] = "books"

    def need(s, metric):
        t = key_thresholds(s["kind"])
        S = s["students"]
        if metric == "land":
            return max(t["land"], t["land_ps"] * S)
        if metric == "building":
            return max(t["building"], t["building_ps"] * S)
        if metric == "teachers":
            return max(t["teachers"], math.ceil(S / t["ratio"]))
        if metric == "equipment":
            return max(t["equipment_wan"], t["equipment_ps"] * S / 10000.0)
        if metric == "books":
            return t["books_ps"] * S
        raise ValueError(metric)

    targets = {
        "land": TARGET["land"] * total_students,
        "building": TARGET["building"] * total_students,
        "equipment": TARGET["equipment_yuan"] * total_students / 10000.0,   # 万元
        "books": TARGET["books"] * total_students,
        "teachers": total_students / TARGET["ratio"],
    }
    spread = {"land": (0.5, 1.8), "building": (0.5, 1.8), "equipment": (0.4, 2.0), "books": (0.5, 1.7),
              "teachers": (0.8, 1.25)}
    for metric in ["land", "building", "equipment", "books", "teachers"]:
        integer = metric in ("land", "building", "books", "teachers")
        fixed_total = 0.0
        free = []
        for s in schools:
            n = need(s, metric)
            if metric in s["fails"]:
                # Just below what the indicator needs: 80–97% of it.
                v = n * rng.uniform(0.80, 0.97)
                v = int(math.floor(v)) if integer else round(v - 0.01, 2)
                if metric == "teachers":
                    v = min(v, int(math.ceil(n)) - 1)
                s[metric] = v
                hidden = s.get("bad") == metric
                if not hidden:
                    fixed_total += v
            else:
                free.append(s)
        for s in free:
            # Floors vary a little so small schools do not all sit on the same round number.
            s["_floor"] = (need(s, metric) + rng.randint(0, 8) if metric == "teachers"
                           else need(s, metric) * rng.uniform(1.02, 1.45))
            s["_w"] = s["students"] * rng.uniform(*spread[metric])
        hidden_free = [s for s in free if s.get("bad") == metric]
        visible = [s for s in free if s.get("bad") != metric]
        for s in hidden_free:
            v = max(s["_floor"], s["_w"] * targets[metric] / total_students)
            s[metric] = int(math.ceil(v)) if integer else round(v, 2)
        vals = fill_to_total(targets[metric] - fixed_total, [s["_floor"] for s in visible],
                             [s["_w"] for s in visible], integer)
        for s, v in zip(visible, vals):
            s[metric] = v

    # Check the key-indicator outcome of every school against the intended one.
    def meets_all(s):
        t = key_thresholds(s["kind"])
        S = s["students"]
        return (s["land"] >= t["land"] and s["land"] / S >= t["land_ps"]
                and s["building"] >= t["building"] and s["building"] / S >= t["building_ps"]
                and s["teachers"] >= t["teachers"] and S / s["teachers"] <= t["ratio"]
                and s["equipment"] >= t["equipment_wan"] and s["equipment"] * 10000 / S >= t["equipment_ps"]
                and s["books"] / S >= t["books_ps"])
    for s in schools:
        assert meets_all(s) == s["meets"], (s["name"], s["fails"])

    # The remaining 中职 fields, loosely around the province's reported structure
    # (高级职称 22.5%, 本科及以上 94.6%, 双师型 27.7% of 专任教师).
    for s in schools:
        T = s["teachers"]
        S = s["students"]
        s["senior_teachers"] = int(round(T * rng.uniform(0.17, 0.33)))
        s["professional_teachers"] = int(round(T * rng.uniform(0.46, 0.72)))
        s["double_qualified"] = int(round(s["professional_teachers"] * rng.uniform(0.25, 0.75)))
        s["part_time_teachers"] = int(round(T * rng.uniform(0.12, 0.27)))
        s["bachelor_teachers"] = T if rng.random() < 0.25 else int(round(T * rng.uniform(0.86, 0.995)))
        s["majors_short"] = rng.choices([0, 1, 2], [85, 11, 4])[0]
        s["track_length"] = rng.choices([400, 300, 200, 150], [70, 15, 10, 5])[0]
        s["periodicals"] = rng.randint(60, 160)
        s["teacher_seats"] = int(round(T * rng.uniform(0.19, 0.45)))
        s["student_seats"] = int(round(S * rng.uniform(0.095, 0.25)))

    # 高职 schools (fictional): 15, mostly 省属.
    gz_specs = [("综合类", "省属"), ("工科类", "省属"), ("工科类", "省属"), ("农林类", "省属"),
                ("医药类", "省属"), ("财经类", "省属"), ("师范类", "省属"), ("工科类", "兰州市"),
                ("综合类", "天水市"), ("工科类", "酒泉市"), ("综合类", "庆阳市"), ("农林类", "武威市"),
                ("民族类", "临夏回族自治州"), ("工科类", "白银市"), ("综合类", "平凉市")]
    gz_name = {"综合类": "职业学院", "工科类": "工业职业技术学院", "农林类": "农林职业技术学院",
               "医药类": "卫生职业学院", "财经类": "财经职业学院", "师范类": "幼儿师范高等专科学校",
               "民族类": "民族职业技术学院"}
    gz_schools = []
    for i, (cat, city) in enumerate(gz_specs):
        S = rng.randint(4000, 14000)
        strict = cat in ("工科类", "农林类")
        area_ps = 16 if strict else 14
        books_ps = 60 if strict else 80
        # About one in five 高职 schools misses one basic indicator, one misses two.
        miss = set()
        if i in (3, 9):
            miss = {rng.choice(["ratio", "graduate", "area", "equipment", "books"])}
        if i == 12:
            miss = {"ratio", "books"}
        # 教师总数 = 专任 + 校外聘请（计入至多专任的四分之一）× 0.5 ≤ 1.125 × 专任, so a school meant
        # to miss the 生师比 has 专任 = S / 20.9: its ratio stays above 18 whatever its 校外 count.
        T = int(math.ceil(S / (20.9 if "ratio" in miss else rng.uniform(13.0, 17.5))))
        gz = {
            "code": "6262%06d" % (900000 + i * 13), "name": "%s样例%s" % (SHORT[city], gz_name[cat]),
            "level": "高职", "city": city, "kind": "高职院校", "group": "", "category": cat,
            "founded_year": rng.randint(1958, 2012), "students": S, "teachers": T,
            "senior_teachers": int(round(T * rng.uniform(0.17, 0.35))),
            "professional_teachers": int(round(T * rng.uniform(0.5, 0.7))),
            "part_time_teachers": int(T * rng.uniform(0.1, 0.26)),
            "land": int(S * rng.uniform(45, 90)), "building": int(S * rng.uniform(25, 45)),
            "equipment": round(S * (rng.uniform(3600, 3950) if "equipment" in miss else rng.uniform(4200, 9000)) / 10000, 2),
            "books": int(S * (books_ps * rng.uniform(0.85, 0.97) if "books" in miss else books_ps * rng.uniform(1.05, 1.6))),
            "graduate_teachers": int(T * (rng.uniform(0.10, 0.14) if "graduate" in miss else rng.uniform(0.16, 0.45))),
            "teaching_admin_area": int(S * (area_ps * rng.uniform(0.85, 0.97) if "area" in miss else area_ps * rng.uniform(1.03, 1.5))),
            "dorm_area": int(S * rng.uniform(6.0, 9.0)),
            "new_equipment_value": 0.0, "new_books": int(S * rng.uniform(2.5, 4.5)),
            "computers": int(S * rng.uniform(0.07, 0.2)),
            "funding_per_student": rng.choice([11500, 12000, 12500, 13200, 14000, 15800]),
            "yellow_card_years": 2 if i == 9 else (1 if i == 3 else 0),
        }
        gz["double_qualified"] = int(gz["professional_teachers"] * rng.uniform(0.4, 0.8))
        gz["new_equipment_value"] = round(gz["equipment"] * rng.uniform(0.07, 0.2), 2)
        if i % 4 == 1:
            gz["international_students"] = rng.randint(0, 30)
            gz["adult_fulltime_students"] = rng.randint(50, 400)
        gz_schools.append(gz)

    write_outputs(root, rng, schools, gz_schools)
    write_region_stats(root)


SCHOOL_COLUMNS = [
    ("code", "学校标识码"), ("name", "学校名称"), ("level", "办学层次"), ("city", "所属市州"),
    ("kind", "学校类型"), ("group", "达标分类"), ("category", "专业大类"), ("founded_year", "建校年份"),
    ("students", "全日制在校生数（人）"), ("teachers", "专任教师数（人）"),
    ("senior_teachers", "高级职称专任教师数"), ("professional_teachers", "专业课教师数"),
    ("double_qualified", "双师型教师数"), ("part_time_teachers", "兼职教师数"),
    ("land", "占地面积（平方米）"), ("building", "校舍建筑面积（平方米）"),
    ("equipment", "教学仪器设备总值（万元）"), ("books", "纸质图书（册）"),
    ("bachelor_teachers", "本科及以上学历专任教师数"),
    ("majors_short", "相关专业中级以上职称专任教师不足2人的专业数"),
    ("track_length", "田径场环形跑道长度（米）"), ("periodicals", "报刊种类"),
    ("teacher_seats", "教师阅览座位数"), ("student_seats", "学生阅览座位数"),
    ("graduate_teachers", "具有研究生学位专任教师数"), ("teaching_admin_area", "教学行政用房面积（平方米）"),
    ("dorm_area", "学生宿舍面积（平方米）"), ("new_equipment_value", "当年新增教学仪器设备值（万元）"),
    ("new_books", "当年新增纸质图书"), ("computers", "教学用计算机"),
    ("funding_per_student", "年生均财政拨款（元）"), ("international_students", "留学生数"),
    ("adult_fulltime_students", "成人脱产学生数"), ("yellow_card_years", "此前连续黄牌年数"),
]


def fmt(v):
    if v is None:
        return ""
    if isinstance(v, float):
        s = "%.2f" % v
        return s.rstrip("0").rstrip(".") if "." in s else s
    return str(v)


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def write_region_stats(root):
    """samples/gansu-2024/region_stats.csv: tables 1 and 3 as printed (no random numbers)."""
    header = ["地区", "行类型", "一般类学校数", "边远脱贫地区学校数", "附设中职班数", "其他机构数", "特殊教育类学校数",
              "体育类学校数", "艺术类学校数", "学校总计", "在校生总数（人）", "非全日制中职学历教育在校生数（人）",
              "全日制中职学历教育在校生数（人）"]
    rows = []
    for name, t1 in SEED_TABLE1:
        assert all(v is not None for v in t1[:3]) and t1[7] is not None
        rows.append([name, "总计" if name == "总计" else "分项"] + [fmt(v) for v in t1] +
                    [fmt(v) for v in SEED_TABLE3[name]])
    # The transcription's certain parts agree with the printed column totals; the totals that do
    # not (table 3) are the report's own.
    cities = [t1 for name, t1 in SEED_TABLE1 if name != "总计"]
    for col in (0, 1, 2, 7):
        assert sum(t1[col] for t1 in cities) == SEED_TABLE1[-1][1][col]
    assert sum(v[2] for k, v in SEED_TABLE3.items() if k != "总计") == sum(FULLTIME.values())
    write_csv(os.path.join(root, "gansu-2024", "region_stats.csv"), header, rows)


def write_outputs(root, rng, schools, gz_schools):
    out = os.path.join(root, "gansu-2024")
    base = os.path.join(root, "gansu-2023")

    # ---- school.csv
    rows = []
    for s in schools + gz_schools:
        row = []
        for key, _ in SCHOOL_COLUMNS:
            v = s.get(key)
            if s.get("bad") == key:
                v = {"teachers": "约100", "land": "", "books": "—"}[key]
            row.append(v if isinstance(v, str) else fmt(v))
        rows.append(row)
    # A duplicated key: the second submission of a school repeats its code (a data error on the later row).
    dup_src = next(r for r, s in zip(rows, schools) if s["city"] == "定西市")
    dup = list(dup_src)
    dup[1] = dup[1] + "（重复报送）"
    rows.append(dup)
    write_csv(os.path.join(out, "school.csv"), [h for _, h in SCHOOL_COLUMNS], rows)

    # ---- teacher.csv: full rosters for four 中职 schools with 60–100 teachers.
    roster_schools = [s for s in sorted(schools, key=lambda s: s["code"])
                      if 60 <= s["teachers"] <= 100 and not s.get("bad")][:4]
    t_rows = []
    surnames = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
    tid = 0
    for k, s in enumerate(roster_schools):
        T = s["teachers"]
        prof = s["professional_teachers"]
        dq = s["double_qualified"]
        if k == 3:
            dq_roster = dq - 2   # deliberate mismatch with the reported figure (JS-03)
        else:
            dq_roster = dq
        for j in range(T):
            tid += 1
            is_prof = j < prof
            is_dq = is_prof and j < dq_roster
            months = rng.choice([0, 2, 4, 5, 5.5, 6, 6, 6, 6.5, 7, 7, 8, 9, 10, 12, 12]) if is_prof else 0
            t_rows.append(["T2024%05d" % tid, s["code"], "样例教师%s%03d" % (surnames[tid % len(surnames)], tid),
                           "是" if is_prof else "否", "是" if is_dq else "否", fmt(months),
                           fmt(rng.randint(1, 32))])
    # JS-05: professional teachers with under five years of service say whether they came with
    # enterprise experience or practised before teaching; the first two did not. Filled without the
    # random stream so the other files stay as they were; blank (not asked) for everyone else.
    novices = 0
    for row in t_rows:
        if row[3] == "是" and int(row[6]) < 5:
            novices += 1
            row.append("否" if novices <= 2 else "是")
        else:
            row.append("")
    write_csv(os.path.join(out, "teacher.csv"),
              ["教师编号", "学校标识码", "姓名", "是否专业课教师", "是否双师型教师",
               "近五年企业实践累计月数（月）", "教龄（年）", "入职前有企业工作经历或已先实践再上岗"], t_rows)

    # ---- enterprise.csv: 40 fictional enterprises.
    industries = [("装备制造", "装配工"), ("现代农业", "农技员"), ("文化旅游", "导游"), ("电子信息", "调试员"),
                  ("新能源", "运维员"), ("医养健康", "护理员"), ("物流", "分拣员"), ("餐饮酒店", "前台接待"),
                  ("建筑工程", "施工员"), ("商贸", "营业员")]
    enterprises = []
    for i in range(40):
        city = CITIES[i % len(CITIES)]
        ind, post = industries[i % len(industries)]
        staff = rng.choice([28, 45, 60, 90, 120, 150, 180, 240, 300, 420, 600, 850, 1200, 2600])
        pilot = i % 5 == 0
        e = {"code": credit_code(rng, CITIES.index(city)),
             "name": "%s样例%s有限公司" % (SHORT[city], ind + ("" if i < 10 else "（%s）" % ordinal(i // 10 + 1))),
             "city": city, "staff": staff, "pilot": pilot, "industry": ind, "post": post}
        if pilot:
            e["investment"] = round(rng.uniform(80, 900), 2)
            e["surcharge_due"] = round(rng.uniform(30, 200), 2)
            cap = min(e["investment"] * 0.3, e["surcharge_due"])
            e["claimed_credit"] = round(cap * (1.12 if i == 5 else rng.uniform(0.5, 1.0)), 2)
        elif i == 13:
            e["claimed_credit"] = 12.5   # a non-pilot enterprise claiming the credit (QY-05)
        enterprises.append(e)
    write_csv(os.path.join(out, "enterprise.csv"),
              ["统一社会信用代码", "企业名称", "所在市州", "在岗职工总数（人）", "是否产教融合试点企业", "所属行业",
               "兴办职业教育投资额（万元）", "当年应缴教育费附加和地方教育附加（万元）", "申请抵免金额（万元）"],
              [[e["code"], e["name"], e["city"], fmt(e["staff"]), "是" if e["pilot"] else "否", e["industry"],
                fmt(e.get("investment")), fmt(e.get("surcharge_due")), fmt(e.get("claimed_credit"))]
               for e in enterprises])

    # ---- internship.csv: ~200 placements.
    min_wage = {c: w for c, w in zip(CITIES, [2020, 1960, 1960, 1960, 1910, 1910, 1910, 1910, 1960, 1910,
                                               1850, 1850, 1850, 1850])}
    zz_schools = sorted([s for s in schools if s["kind"] not in ("附设中职班", "特殊教育学校")],
                        key=lambda s: s["code"])
    # Placements per enterprise: most host a few; a small one hosts too many (QY-03); big ones too few (QY-01).
    plan = []
    for i, e in enumerate(enterprises):
        if e["staff"] == 28 and not any(p[0]["staff"] == 28 and p[1] > 3 for p in plan):
            n = 6
        else:
            n = max(1, min(9, int(math.ceil(e["staff"] * rng.uniform(0.019, 0.035)))))
        plan.append((e, n))
    post_staff = {}
    i_rows = []
    iid = 0
    violations = ["grade", "age", "venue", "agency", "labour", "pay", "period", "hours", "weekly",
                  "night", "holiday", "insurance", "type", "duration"]
    vi = 0
    for e, n in plan:
        for j in range(n):
            iid += 1
            s = zz_schools[(iid * 7) % len(zz_schools)]
            kind = "认识实习" if j % 6 == 5 else "岗位实习"
            post = e["post"] if j % 4 or e["staff"] == 28 else "质检员"
            key = (e["code"], post)
            if key not in post_staff:
                post_staff[key] = max(5, int(e["staff"] * rng.uniform(0.15, 0.5)))
            if e["staff"] == 28:
                post_staff[key] = 10   # 6 岗位实习 on a 10-person post: over 20% (QY-04)
            mw = min_wage[e["city"]]
            same = int(mw * rng.uniform(1.05, 1.6))
            r = {"grade": rng.choice([2, 3, 3]), "age": rng.randint(16, 19), "venue": "企业生产经营场所",
                 "agency": False, "labour": rng.choice([1, 1, 2]),
                 "pay": int(max(same * 0.8, mw) + rng.randint(0, 600)) if kind == "岗位实习" else 0,
                 "period": 30, "hours": rng.choice([7, 7.5, 8]), "weekly": rng.choice([35, 37.5, 40]),
                 "night": False, "holiday": False, "exception": "", "insurance": True, "type": kind,
                 "duration": rng.choice([3, 4, 5, 6]) if kind == "岗位实习" else None, "direct": True}
            # Every 12th placement breaks one rule, cycling through the list.
            if iid % 12 == 0:
                v = violations[vi % len(violations)]
                vi += 1
                if v == "grade":
                    r["type"], r["grade"] = "岗位实习", 1
                elif v == "age":
                    r["type"], r["age"] = "岗位实习", 15
                elif v == "venue":
                    # the second time a business name that contains 网吧 (SX-04 matches by contains)
                    r["venue"] = "网吧" if vi <= len(violations) else "样例星际网吧"
                elif v == "agency":
                    r["agency"] = True
                elif v == "labour":
                    r["labour"] = 3
                elif v == "pay":
                    r["type"] = "岗位实习"
                    r["pay"] = int(min(same * 0.8, mw) - 150)
                elif v == "period":
                    r["type"], r["period"] = "岗位实习", 60
                elif v == "hours":
                    r["hours"] = 10
                elif v == "weekly":
                    r["weekly"] = 48
                elif v == "night":
                    r["night"] = True
                elif v == "holiday":
                    r["holiday"], r["exception"] = True, "否"
                elif v == "insurance":
                    r["insurance"] = False
                elif v == "type":
                    r["type"] = "顶岗实习"
                elif v == "duration":
                    r["type"], r["duration"] = "岗位实习", 9
            if r["type"] == "岗位实习" and r["pay"] == 0:
                r["pay"] = int(max(same * 0.8, mw) + 100)
            if r["type"] == "岗位实习" and r["duration"] is None:
                r["duration"] = 6
            if iid % 37 == 0:
                r["night"], r["exception"] = True, "是"   # a night shift with a filed exception: allowed
            row = ["SX2024%04d" % iid, "XS%08d" % (20230000 + iid), s["code"], e["code"], r["type"],
                   fmt(r["grade"]), fmt(r["age"]), r["venue"], "是" if r["agency"] else "否", fmt(r["labour"]),
                   fmt(r["pay"]), fmt(same), fmt(mw), fmt(r["period"]), "是" if r["direct"] else "否",
                   fmt(r["hours"]), fmt(r["weekly"]), "是" if r["night"] else "否",
                   "是" if r["holiday"] else "否", r["exception"], "是" if r["insurance"] else "否",
                   post, fmt(post_staff[key]), fmt(r["duration"]), "否"]
            i_rows.append(row)
    # One placement with an empty required cell (日实习时长).
    i_rows[40][15] = ""
    # SX-16: one 17-year-old on work a minor must not do (《未成年工特殊保护规定》), chosen without the
    # random stream so the other files stay as they were: the first 17-year-old who breaks no other rule.
    minor = next(row for k, row in enumerate(i_rows) if row[6] == "17" and (k + 1) % 12 != 0 and (k + 1) % 37 != 0)
    minor[-1] = "是"
    write_csv(os.path.join(out, "internship.csv"),
              ["实习编号", "学生编号", "学校标识码", "实习单位统一社会信用代码", "实习类型", "年级", "学生年龄（岁）",
               "实习场所", "是否通过中介机构安排", "体力劳动强度级别", "月实习报酬（元）", "本单位相同岗位工资标准（元）",
               "当地最低工资标准（元）", "报酬支付周期（天）", "是否以货币形式直接支付给学生", "日实习时长（小时）",
               "周实习时长（小时）", "是否安排夜班", "是否安排法定节假日实习", "特殊情况是否已报备",
               "是否投保实习责任保险", "实习岗位", "同类岗位在岗职工数", "岗位实习时长（月）",
               "是否从事未成年工禁忌从事的劳动"], i_rows)

    # ---- region.csv (2024) and the 2023 baseline.
    per_city = {c: [s for s in schools if s["city"] == c] for c in CITIES}

    # DQ-01/DQ-02 divide by the schools in the 达标工程 scope, and DQ-08 checks both reported counts
    # against the school rows under ZZ-20's rule (技工学校: only 占地, 校舍, 生均校舍).
    def in_scope(s):
        return s["kind"] != "附设中职班" and s["founded_year"] < 2022

    def meets_zz20(s):
        t = key_thresholds(s["kind"])
        S = s["students"]
        campus = s["land"] >= t["land"] and s["building"] >= t["building"] and s["building"] / S >= t["building_ps"]
        if s["kind"] == "技工学校":
            return campus
        return s["meets"]
    general = {}
    for c in CITIES:
        intake = INTAKE[c] or 3000
        general[c] = int(intake * rng.uniform(1.2, 1.65) / 10) * 10
    funding = {c: round(rng.uniform(8000, 60000), 2) for c in CITIES}
    r_rows = []
    b_rows = []
    header = ["地区", "地区层级", "中职招生数（人）", "普通高中招生数（人）", "中职学校数", "纳入达标工程的中职学校数",
              "重点监测指标全部达标学校数",
              "高职生均财政拨款（元）", "本年度职业教育财政投入（万元）"] + [label for label, _ in PROVINCE_TARGETS]
    no_targets = [""] * len(PROVINCE_TARGETS)
    for k, c in enumerate(CITIES):
        meeting = sum(1 for s in per_city[c] if in_scope(s) and meets_zz20(s))
        scope = sum(1 for s in per_city[c] if in_scope(s))
        r_rows.append([c, "市州", fmt(INTAKE[c]), fmt(general[c]), fmt(len(per_city[c])), fmt(scope), fmt(meeting), "",
                       fmt(funding[c])] + no_targets)
        prev_funding = round(funding[c] * (1.06 if k in (3, 8) else rng.uniform(0.85, 0.98)), 2)
        prev_meeting = max(0, meeting - rng.choice([0, 1, 1, 2]))
        b_rows.append([c, "市州", fmt(int((INTAKE[c] or 3000) * rng.uniform(0.9, 1.05))),
                       fmt(int(general[c] * rng.uniform(0.95, 1.05))), fmt(len(per_city[c])), fmt(scope), fmt(prev_meeting), "",
                       fmt(prev_funding)] + no_targets)
    prov_meeting = sum(1 for s in schools if in_scope(s) and meets_zz20(s))
    prov_scope = sum(1 for s in schools if in_scope(s))
    prov_general = sum(general.values()) + 5200
    prov_funding = round(sum(funding.values()) + 95000, 2)
    r_rows.append(["甘肃省", "省", fmt(PROVINCE_INTAKE), fmt(prov_general), fmt(len(schools)), fmt(prov_scope), fmt(prov_meeting),
                   "13210", fmt(prov_funding)] + [v for _, v in PROVINCE_TARGETS])
    b_rows.append(["甘肃省", "省", "38116", fmt(int(prov_general * 0.98)), fmt(len(schools)), fmt(prov_scope), "109", "12640",
                   fmt(round(prov_funding * 0.93, 2))] + no_targets)
    write_csv(os.path.join(out, "region.csv"), header, r_rows)
    write_csv(os.path.join(base, "region.csv"), header, b_rows)

    # ---- summary on stderr: province aggregates as the DQ-06 rule computes them.
    zz = schools
    def visible(s, key):
        return 0 if s.get("bad") == key else s[key]
    S = sum(s["students"] for s in zz)
    agg = {
        "生均用地面积": sum(visible(s, "land") for s in zz) / S,
        "生均校舍建筑面积": sum(visible(s, "building") for s in zz) / S,
        "生均仪器设备值（元）": sum(visible(s, "equipment") for s in zz) * 10000 / S,
        "生均图书": sum(visible(s, "books") for s in zz) / S,
        "生师比": S / sum(visible(s, "teachers") for s in zz),
    }
    want = [TARGET["land"], TARGET["building"], TARGET["equipment_yuan"], TARGET["books"], TARGET["ratio"]]
    for (k, v), w in zip(agg.items(), want):
        sys.stderr.write("%s %.2f (表6 %.2f, %+.3f%%)\n" % (k, v, w, (v / w - 1) * 100))
    sys.stderr.write("中职学校 %d 所，纳入达标工程 %d 所，其中按 ZZ-20 全部达标 %d 所（%.1f%%）；高职 %d 所；教师 %d；企业 %d；实习 %d\n"
                     % (len(zz), prov_scope, prov_meeting, prov_meeting * 100.0 / prov_scope, len(gz_schools), len(t_rows),
                        len(enterprises), len(i_rows)))


if __name__ == "__main__":
    main()
