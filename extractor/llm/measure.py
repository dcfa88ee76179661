"""Time one real call: `python -m extractor.llm.measure [--small] [--want indicators]`.

Reads a synthetic passage written for this purpose (not from golden/ or the sample documents)
with the cache off and prints the counters, wall time and tokens per second.
"""

from __future__ import annotations

import argparse
import json
import time

from ..pipeline import Pending
from ..source import SourceDoc
from .config import LLMConfig
from .reader import read

PASSAGE = (
    "项目支出绩效自评表\n（2023年度）\n"
    "项目名称\t城区公共自行车运维补助\n实施单位\t某市交通运输服务中心\n"
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
    "产出指标\t数量指标\t运维站点数量\t≥120个\t126个\t15\t15\t\n"
    "\t\t投放车辆数\t≥3000辆\t2860辆\t15\t12\t部分车辆报废未及时补充，下年度加快采购\n"
    "\t质量指标\t车辆完好率\t≥95%\t96.5%\t10\t10\t\n"
    "\t时效指标\t故障车辆24小时修复率\t≥90%\t92%\t10\t10\t\n"
    "效益指标\t社会效益指标\t日均骑行人次\t≥8000人次\t8450人次\t20\t20\t\n"
    "满意度指标\t服务对象满意度指标\t市民满意度\t≥90%\t94%\t10\t10\t\n"
)


def passage_doc() -> SourceDoc:
    """The passage through the project's text loader (tables parsed into rows, as in a real run)."""
    import tempfile
    from pathlib import Path

    from ..loaders import load

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "measure.txt"
        path.write_text(PASSAGE, encoding="utf-8")
        return load(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--want", default="indicators")
    args = ap.parse_args()
    config = LLMConfig(small=args.small, use_cache=False)
    doc = passage_doc()
    from .client import LLMClient

    started = time.monotonic()
    LLMClient(config).endpoint()  # server start, timed apart from the call
    startup = time.monotonic() - started
    started = time.monotonic()
    reading = read(doc, [Pending(0, len(PASSAGE), args.want, "project", "城区公共自行车运维补助")], config)
    wall = time.monotonic() - started
    s = reading.stats
    print(json.dumps(s, ensure_ascii=False))
    print(f"server start {startup:.1f} s; call wall {wall:.1f} s; passage {len(PASSAGE)} chars; "
          f"{s['completion_tokens'] / max(s['llm_seconds'], 1e-9):.1f} completion tok/s over the whole call "
          f"(prompt {s['prompt_tokens']} + completion {s['completion_tokens']} tokens)")
    for report in reading.reports:
        for ind in report.indicators:
            print(" ", ind.level1, ind.level2, ind.name, ind.target, ind.actual, ind.weight, ind.score, ind.note)


if __name__ == "__main__":
    main()
