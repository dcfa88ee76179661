"""Split a document into report segments.

A segment is one place that speaks about one report (or, for a summary table, about
many): a titled table (部门整体支出绩效自评表, 项目支出绩效自评表, 转移支付…自评表,
评分表, 项目绩效自评结果汇总表 …), an untitled table that opens with a name field
(项目名称 / 专项(项目)名称 / 转移支付(项目)名称 / 部门(单位)名称), a prose report
("XX项目2020年绩效评价报告", "2021年度XX部门整体支出绩效自评报告") or a prose summary
paragraph ("XX项目绩效目标完成情况综述。…").

Tables are split at the row level: one loader block may hold several reports' tables
back to back; each segment gets sub-blocks holding only its rows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .source import Block, Cell, SourceDoc
from .tables import (
    INLINE_FIELD,
    YEAR_LABEL,
    YEAR_NUM,
    clean,
    funds_role,
    indicator_role,
    key,
    name_label_kind,
    nonempty,
    split_inline,
    year_in,
    year_line,
    year_value,
)

ROLES = ("table", "summary", "rubric", "prose")


@dataclass
class Segment:
    kind: str | None
    name: str | None
    title: str | None
    year: int | None
    start: int
    end: int
    blocks: list[Block] = field(default_factory=list)
    role: str = "table"  # "table" | "summary" | "rubric" | "prose"


# ------------------------------------------------------------------ titles

_TITLE_WORDS = re.compile(r"绩效|评分|汇总|自评")
_LEADING_TABLE_NO = re.compile(r"^(附表|附件)?表?\d+[-.、:：]?")
_TRAILING_YEAR = re.compile(rf"[（(\[【]\s*{YEAR_NUM}\s*年度?\s*[)）\]】]$")
_DEPT = re.compile(r"部门\(单位\)整体|部门（单位）整体|部门整体|单位整体|整体支出|整体绩效")
_ORG_END = re.compile(r"(局|委|委员会|院|中心|办|办公室|部|厅|会|所|站|队|馆|处|校|学校|政府|街道|镇|乡|公司|社|台|室|署|团|协会|联合会)$")
_YEAR_PREFIX = re.compile(rf"^({YEAR_NUM})\s*年度?")
_TRAILING_YEAR_WORD = re.compile(rf"{YEAR_NUM}\s*年度?$")
_LEAD_YEAR_NUM = re.compile(rf"^({YEAR_NUM})")
_SENTENCE = re.compile(r"[，。；;！？]|,")


def _kind_of(title: str) -> str | None:
    if "转移支付" in title:
        return "transfer"
    if _DEPT.search(title):
        return "department"
    if "项目" in title or "专项" in title:
        return "project"
    return None


def _strip_year(s: str) -> str:
    s = _YEAR_PREFIX.sub("", s)
    return _TRAILING_YEAR_WORD.sub("", s)


def _name_before(s: str, stop: re.Pattern) -> str | None:
    m = stop.search(s)
    if not m:
        return None
    name = _strip_year(s[: m.start()].strip())
    name = re.sub(r"^(关于)", "", name)
    return name or None


@dataclass
class TitleInfo:
    kind: str | None
    name: str | None
    year: int | None
    role: str


def table_title(text: str) -> TitleInfo | None:
    """A table title: short, ends with 表, holds 绩效/评分/汇总/自评 (e.g. 项目支出绩效自评表(2021年度))."""
    k = key(text)
    if "表" not in k:  # (most lines: every test below needs a trailing 表)
        return None
    s = _unnumber(re.sub(r"^#+", "", k))
    if not s or len(s) > 60 or _SENTENCE.search(s):
        return None
    year = year_in(s)
    s = _TRAILING_YEAR.sub("", s)
    s = _LEADING_TABLE_NO.sub("", s)
    if not s.endswith("表") or not _TITLE_WORDS.search(s):
        return None
    if re.search(r"决算|预算表|收支|明细表", s) and "绩效" not in s:
        return None
    kind = _kind_of(s)
    role = "summary" if "汇总" in s else "rubric" if re.search(r"评分表|得分表|打分表", s) else "table"
    name = None
    if kind == "department":
        name = _name_before(s, _DEPT)
    elif kind == "project" and role != "summary":
        cand = _name_before(s, re.compile(r"项目(支出)?(绩效|自评|评价)"))
        if cand and len(cand) >= 3 and not _ORG_END.search(cand):
            name = cand  # "XX项目支出绩效自评表"; "XX局项目支出…" names the department, not the project
    if name and (len(name) < 3 or re.search(r"转移支付|区域|^项目|^部门|^单位", name)):
        name = None
    return TitleInfo(kind, name, year, role)


_HEADING_NO = re.compile(r"^(附件\d*[:：]?|附表\d*[:：]?|[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d)|[（(][一二三四五六七八九十\d]+[)）])\s*")


def _unnumber(s: str) -> str:
    for _ in range(2):
        s = _HEADING_NO.sub("", s)
    return s


_PLACE_ONLY = re.compile(r"^.{0,8}(省|市|县|区|州|旗|盟)$")
_REPORT_END = re.compile(r"(绩效)?(自评|评价|评估)(结果|情况)?的?报告$|绩效报告$")


def prose_title(text: str, prev: str | None = None) -> TitleInfo | None:
    """A prose report heading: "XX项目2020年绩效评价报告", "2021年度XX部门整体支出绩效自评报告";
    a heading without a name ("2020年绩效评价报告") takes it from the line before it
    when that line is a bare name ("离休干部医疗费项目", "盐边县医疗保障局")."""
    k = key(text)
    if "绩效" not in k:  # (most lines: required below)
        return None
    s = _unnumber(re.sub(r"^#+", "", k))
    if not s or len(s) > 60 or _SENTENCE.search(s) or "《" in s:
        return None
    if not _REPORT_END.search(s) or "绩效" not in s:
        return None
    year = year_in(s)
    kind = _kind_of(s)
    name = None
    if kind == "department":
        name = _name_before(s, _DEPT)
        if name and _PLACE_ONLY.search(name):
            name = None
    else:
        # the name as written: only the report-type words come off ("支出绩效自评报告",
        # a trailing "2020年" of "XX项目2020年绩效评价报告"); a leading year and 项目 stay
        body = _REPORT_END.sub("", s)
        body = re.sub(r"(绩效|评价|自评|评估|支出|整体|结果)+$", "", body)
        body = _TRAILING_YEAR_WORD.sub("", body)
        body = re.sub(r"(项目)?(支出)?(绩效)?$", lambda m: m.group(1) or "", body)
        body = re.sub(r"^.{0,30}?关于", "", body)  # "XX局关于2022年XX项目绩效自评情况的报告"
        mu = re.match(r"^(.{2,30}?" + _ORG_END.pattern[:-1] + rf")(?={YEAR_NUM}\s*年)", body)
        if mu and not _SENTENCE.search(mu.group(1)):
            body = body[mu.end():]  # "XX县XX局2022年XX专项资金…": the unit is not part of the name
        name = body or None
        bare = _strip_year(re.sub(r"(项目|专项)$", "", body)) if body else ""
        if name and (not bare or _ORG_END.search(bare) or len(bare) < 2):
            name = None  # "XX局2022年度项目支出绩效自评报告": titled by the unit, the project is named elsewhere
        if name and ("项目" in s or "专项" in s):
            kind = "project"
    if not name and prev:
        p = key(prev)
        if p and len(p) <= 40 and not _SENTENCE.search(p) and not re.match(r"^(附件|附表|第)", p):
            if p.endswith("项目"):
                name, kind = p, kind or "project"
            elif _ORG_END.search(p) and kind in (None, "department"):
                name, kind = p, "department"
    if kind is None:
        return None
    if name and len(name) < 2:
        name = None
    return TitleInfo(kind, name, year, "prose")


def _prose_title_joined(text: str, prev: str | None) -> TitleInfo | None:
    """A prose heading, also one broken over two lines ("XX市2018年度部门整体支出" / "绩效评价自评报告")."""
    info = prose_title(text, prev)
    if (info is None or not info.name) and prev and len(key(prev)) + len(key(text)) <= 60 \
            and not _REPORT_END.search(key(prev)):
        joined = prose_title(prev + text)
        if joined is not None and (info is None or joined.name):
            return joined
    return info


_SUMMARY_PARA = re.compile(
    r"^(?:\d+[.、．]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）])?(.{2,80}?)(?:项目)?(?:绩效)?(?:目标)?"
    r"(?:(?:完成|执行|实施)情况|自评情况|绩效自评)(?:综述|概述|说明)"
)


def prose_summary(text: str) -> TitleInfo | None:
    """A paragraph opening with "XX项目绩效目标完成情况综述": the project XX retold in prose."""
    s = key(text)
    if "综述" not in s and "概述" not in s and "说明" not in s:
        return None  # (most paragraphs: the pattern needs one of these words; matching it is slow)
    m = _SUMMARY_PARA.match(s)
    if not m:
        return None
    name = re.sub(r"项目$", "", m.group(1))
    if len(name) < 2 or _SENTENCE.search(name):
        return None
    bare = _strip_year(re.sub(r"(项目)?(支出)?$", "", name))
    if not bare or _ORG_END.search(bare):
        name = ""  # titled by the unit ("XX局2021年度项目支出绩效自评情况说明"): no project named here
    kind = _kind_of(m.group(0)) if _DEPT.search(m.group(0)) else "transfer" if "转移支付" in name else "project"
    return TitleInfo(kind, name if (name and kind != "department") else None, year_in(m.group(0)), "prose")


_BODY_NAME = re.compile(
    r"^((?:(?:19|20)\d{2}年度?)?[^，,。；;：:“”\s]{2,40}?项目)由[^，,。；;：:\s]{2,30}?(?:负责)?(?:具体|组织)(?:负责)?(?:组织)?实施")
_SUB_HEAD = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．])\s*"
                       r"([^，,。；;：:\s]{4,40}?(?:项目|经费|资金))$")
_OWN_RESULT = re.compile(r"(?:得分|评分)[为是:：]?\s*\d|执行率")
# a top-level section heading: "一、…", "第二部分…" (read_rules ends a prose stretch there too)
TOP_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+部分)")


_GENERIC_NAME = re.compile(
    r"^(?:该|本|此|这|上述|各|有关|相关)|^(?:项目|专项|预算|财政|部门|资金|经费|本级|上级|中央|省级|市级|县级|其他|主要|重点)+$"
    r"|情况|绩效")


def _specific(name: str) -> bool:
    """A name of its own, not a generic word ("该项目", "专项资金", "资金使用情况")."""
    return not _GENERIC_NAME.search(re.sub(r"(项目|资金|经费)$", "", name) or name)


def _section_states_result(blocks: list[Block], at: int) -> bool:
    """The section under the heading at `at` states its own score or execution rate, up to
    the next heading: a unit evaluated on its own, not a topic of the report."""
    for block in blocks[at + 1:]:
        if block.is_table:
            continue
        k = key(block.text)
        if TOP_HEADING.match(k) or _SUB_HEAD.match(k):
            return False
        if _OWN_RESULT.search(k):
            return True
    return False


def body_name(text: str) -> str | None:
    """A prose sentence naming the project it tells of: "2023年XX项目由YY具体实施" -> "2023年XX项目"."""
    m = _BODY_NAME.match(key(text))
    return m.group(1) if m and _specific(m.group(1)) else None


_BREAK = re.compile(r"^(附件\s*\d*|附表\s*\d*|第[一二三四五六七八九十]+部分|名词解释)")


# ------------------------------------------------------------------ fields inside tables


def row_name_field(row: list[Cell]) -> tuple[str, str] | None:
    """(kind implied, value) when the row holds a name label followed by a value."""
    ne = nonempty(row)
    for idx, (_, cell) in enumerate(ne):
        inline = split_inline(cell)
        if inline and name_label_kind(inline[0]):
            return name_label_kind(inline[0]), clean(inline[1].text)
        kind = name_label_kind(cell.text)
        if kind and idx + 1 < len(ne):
            value = clean(ne[idx + 1][1].text)
            if value and not _is_header_word(value):
                return kind, value
    return None


def _is_header_word(text: str) -> bool:
    return bool(
        indicator_role(text) or funds_role(text) or name_label_kind(text)
        or re.search(r"得分|序号|单位$", key(text))
    )


_SCORE_WORD = re.compile(r"得分|总分|评分|分数")


def is_summary_header(row: list[Cell]) -> bool:
    """A header row of a summary table: a name column plus funds/score columns."""
    ne = nonempty(row)
    has_name = any(name_label_kind(c.text) in ("project", "transfer") or key(c.text) in ("项目", "项目名称") for _, c in ne)
    others = sum(1 for _, c in ne if funds_role(c.text) or _SCORE_WORD.search(key(c.text)))
    return has_name and others >= 2


_FIELD_GAP = re.compile(r"\s{2,}|\t")
# a line of a form written out as "label：value" (年度目标：…, 完成情况：…), not free prose
_FORM_FIELD = re.compile(r"^[^：:，,。；;]{2,10}[：:]")


def _para_name_field(block: Block, nxt: Block | None = None) -> tuple[str, str] | None:
    """A paragraph "项目名称：XX" (a field written above a table), or a paragraph that is only
    the label with the value on the next line (a form flattened one cell per line)."""
    text = clean(block.text)
    if nxt is not None and not nxt.is_table and name_label_kind(text):
        value = clean(nxt.text)
        if value and len(value) <= 60 and not _SENTENCE.search(value) and not _is_header_word(value) \
                and not re.search(r"[:：]", value):
            return name_label_kind(text), value
    for part in _FIELD_GAP.split(text):
        m = INLINE_FIELD.match(part.strip())
        if m:
            kind = name_label_kind(m.group("label"))
            value = clean(m.group("value"))
            if kind and value and _SENTENCE.search(value):
                # "项目名称：XX。该项目由…实施": a field opening a prose paragraph ends at its first stop
                value = re.split(r"[。；;]", value, maxsplit=1)[0]
            if kind and value and len(value) <= 60 and not _SENTENCE.search(value):
                return kind, value
    return None


def row_title(row: list[Cell]) -> TitleInfo | None:
    ne = nonempty(row)
    if len(ne) != 1:
        return None
    return table_title(ne[0][1].text)


def row_year(row: list[Cell]) -> int | None:
    ne = nonempty(row)
    if len(ne) == 1:
        return year_line(ne[0][1].text)
    for idx, (_, cell) in enumerate(ne):
        inline = split_inline(cell)
        if inline and YEAR_LABEL.match(inline[0]):
            m = _LEAD_YEAR_NUM.match(key(inline[1].text))
            if m:
                return year_value(m.group(1))
        if YEAR_LABEL.match(key(cell.text)) and idx + 1 < len(ne):
            m = _LEAD_YEAR_NUM.match(key(ne[idx + 1][1].text))
            if m:
                return year_value(m.group(1))
    return None


# ------------------------------------------------------------------ segmentation


class _Builder:
    def __init__(self, doc: SourceDoc):
        self.doc = doc
        self.segments: list[Segment] = []
        self.cur: Segment | None = None
        self.rows: list[list[Cell]] = []  # rows of the current table sub-block
        self.has_table = False
        self.named_by_field = False

    # sub-blocks
    def flush_rows(self) -> None:
        if self.cur is not None and self.rows:
            cells = [c for r in self.rows for c in r if c.text.strip()] or [c for r in self.rows for c in r]
            start = min(c.start for c in cells) if cells else self.cur.end
            end = max(c.end for c in cells) if cells else self.cur.end
            page = next((c.page for c in cells if c.page is not None), None)
            self.cur.blocks.append(
                Block("table", start, end, page=page, text=self.doc.text[start:end], rows=list(self.rows))
            )
            self.cur.start = min(self.cur.start, start)
            self.cur.end = max(self.cur.end, end)
        self.rows = []

    def close(self) -> None:
        self.flush_rows()
        if self.cur is not None:
            self.segments.append(self.cur)
        self.cur = None
        self.has_table = False
        self.named_by_field = False

    def open(self, info: TitleInfo | None, title: str | None, start: int, end: int, role: str | None = None) -> None:
        self.close()
        self.cur = Segment(
            kind=info.kind if info else None,
            name=info.name if info else None,
            title=title,
            year=info.year if info else None,
            start=start,
            end=end,
            blocks=[],
            role=role or (info.role if info else "table"),
        )

    def add_para(self, block: Block) -> None:
        assert self.cur is not None
        self.flush_rows()
        self.cur.blocks.append(block)
        self.cur.end = max(self.cur.end, block.end)

    # tables
    def table_row(self, row: list[Cell]) -> None:
        ne = nonempty(row)
        if not ne:
            if self.cur is not None and self.cur.role != "prose":
                self.rows.append(row)
            return
        start, end = ne[0][1].start, ne[-1][1].end
        title = row_title(row)
        if title:
            self.open(title, clean(ne[0][1].text), start, end)
            return
        y = row_year(row)
        if y and len(ne) == 1 and self.cur is not None and self.cur.role != "prose" and not self.has_table:
            self.cur.year = self.cur.year or y
            return
        field = row_name_field(row)
        summary = is_summary_header(row)
        if field:
            kind, value = field
            if self.cur is None or self.cur.role == "prose" or self.named_by_field or (
                self.cur.name and self.has_table and self.cur.kind != "department"
            ) or (self.cur.role == "summary" and self.has_table):
                self.open(TitleInfo(kind, None, None, "table"), None, start, end)
            cur = self.cur
            assert cur is not None
            if kind == "department" and cur.kind in ("project", "transfer"):
                pass  # a 单位名称 inside a project table is its unit
            else:
                cur.kind = cur.kind or kind
                if kind != "department" and cur.kind == "department" and not cur.name:
                    cur.kind = kind
                if not cur.name or cur.kind != "department":
                    cur.name = value
                self.named_by_field = True
        elif summary and (self.cur is None or self.cur.role == "prose" or self.has_table):
            if self.cur is None or self.cur.role != "summary" or self.has_table:
                self.open(TitleInfo("project", None, None, "summary"), None, start, end)
        elif self.cur is None or self.cur.role == "prose":
            # an untitled table inside a prose report belongs to that report
            parent = self.cur
            inherit = TitleInfo(parent.kind, parent.name, parent.year, "table") if parent is not None else None
            self.open(inherit, None, start, end)
        cur = self.cur
        assert cur is not None
        if summary:
            cur.role = "summary"
            cur.kind = cur.kind or "project"
        self.rows.append(row)
        self.has_table = True
        cur.start = min(cur.start, start)
        cur.end = max(cur.end, end)


def segment(doc: SourceDoc) -> list[Segment]:
    """Report segments in document order (see module doc)."""
    b = _Builder(doc)
    prev_para: str | None = None
    summary_open = False  # the current segment is one summary paragraph, maybe broken across lines
    for bi, block in enumerate(doc.blocks):
        nxt_block = doc.blocks[bi + 1] if bi + 1 < len(doc.blocks) else None
        if block.is_table:
            if summary_open:
                b.close()
                summary_open = False
            b.flush_rows()
            for row in block.rows:
                b.table_row(row)
            b.flush_rows()
            prev_para = None
            continue
        text = clean(block.text)
        if not text:
            continue
        if summary_open:
            summary_open = False
            if prev_para and not re.search(r"[。！？!?；;]$", prev_para):
                # a summary paragraph broken at a line end (PDF): its sentence goes on here
                b.add_para(block)
                prev_para = text
                summary_open = True
                continue
            k = key(text)
            heading = TOP_HEADING.match(k) or (_HEADING_NO.match(k) and len(k) <= 40 and not re.search(r"[：:，,；;。].", k))
            if not (heading or prose_summary(text)
                    or table_title(text) or _prose_title_joined(text, prev_para) or _BREAK.match(key(text))):
                # the summary goes on in the paragraphs after it (goal, indicators, score) up to
                # the next heading or the next summary
                b.add_para(block)
                prev_para = text
                summary_open = True
                continue
            b.close()
        info = table_title(text)
        if info:
            b.open(info, text, block.start, block.end)
            b.add_para(block)
        elif (y := year_line(text)) and b.cur is not None and b.cur.role != "prose" and not b.has_table:
            b.cur.year = b.cur.year or y
            b.add_para(block)
        elif info := _prose_title_joined(text, prev_para):
            b.open(info, text, block.start, block.end)
            b.add_para(block)
        elif (
            b.cur is not None and b.cur.role == "prose" and (fld := _para_name_field(block))
            and (fld[0] == b.cur.kind or (fld[0] == "transfer" and b.cur.kind == "project"))
            and (fld[0] == "department" or not b.cur.name or not b.named_by_field)
        ):
            # "部门(单位)名称：XX" on a prose report's cover; "项目名称：XX" in a prose report's body
            # is the project's name as written (a title may word it otherwise)
            b.cur.name = fld[1]
            b.cur.kind = fld[0]
            b.named_by_field = True
            b.add_para(block)
        elif (
            b.cur is not None and b.cur.role == "prose" and b.cur.kind == "project" and not b.named_by_field
            and (bn := body_name(text))
        ):
            b.cur.name = bn  # "2023年XX项目由YY具体实施": the body names the project as written
            b.named_by_field = True
            b.add_para(block)
        elif (
            (sh := _SUB_HEAD.match(key(text))) and _specific(sh.group(1)) and (
                b.cur is not None and b.cur.role == "summary"
                or (b.cur is not None and b.cur.role == "prose" and b.cur.kind == "project"
                    and (not b.cur.name or bool(b.cur.title and _SUB_HEAD.match(key(b.cur.title)))))
                or (b.cur is not None and b.cur.role == "prose" and b.cur.kind in ("project", "transfer")
                    and _section_states_result(doc.blocks, bi)))
        ):
            # a report titled by its unit, one section per project: "（一）XX建设项目"; or one fund
            # report evaluating its parts one section each ("一、XX补贴资金 … 自评得分99分")
            kind = b.cur.kind if b.cur is not None and b.cur.role == "prose" and b.cur.kind else "project"
            b.open(TitleInfo(kind, sh.group(1), b.cur.year if b.cur else None, "prose"), text, block.start, block.end)
            b.named_by_field = True
            b.add_para(block)
        elif info := prose_summary(text):
            b.open(info, text, block.start, block.end)
            b.add_para(block)
            summary_open = True
        elif (fld := _para_name_field(block, nxt_block)) and (b.cur is None or b.cur.role != "prose"):
            kind, value = fld
            if b.cur is None or b.named_by_field or b.has_table:
                b.open(TitleInfo(kind, None, None, "table"), None, block.start, block.end)
            cur = b.cur
            assert cur is not None
            if not (kind == "department" and cur.kind in ("project", "transfer")):
                cur.kind = cur.kind or kind
                cur.name = cur.name if (cur.name and cur.kind == "department") else value
                b.named_by_field = True
            b.add_para(block)
        elif _BREAK.match(key(text)):
            b.close()
        elif b.cur is not None and b.cur.role == "prose":
            b.add_para(block)
        elif b.cur is not None and b.has_table and b.cur.role == "table" and _FORM_FIELD.match(key(text)):
            b.add_para(block)  # a form's "年度目标：…" line between its tables
        elif b.cur is not None and b.has_table and len(key(text)) > 40:
            b.close()  # prose after a table ends the table's segment
        elif b.cur is not None and not b.has_table:
            b.add_para(block)
        prev_para = text
    b.close()
    segs = [s for s in b.segments if s.blocks]
    for s in segs:
        if s.role == "table" and not s.title and s.name and not any(bl.is_table for bl in s.blocks) \
                and len(s.blocks) > 2 and sum(1 for bl in s.blocks if len(_SENTENCE.findall(key(bl.text))) >= 2) >= 1:
            s.role = "prose"  # opened by a "转移支付项目名称：XX" line and told in prose, no table
        if s.year is None and s.name:
            s.year = year_in(s.name)  # "2019年中央XX资金"
    _fill_years(segs)
    return segs


def _fill_years(segs: list[Segment]) -> None:
    """A segment without a year takes the document's most common stated year."""
    years = Counter(s.year for s in segs if s.year)
    if not years:
        return
    common = years.most_common(1)[0][0]
    for s in segs:
        if s.year is None:
            s.year = common
