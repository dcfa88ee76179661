"""The batch through the real CLI: golden documents plus a corpus of bad inputs."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.batch import BatchOptions, assign_stems, expand_paths, run_batch
from extractor.models import load_document

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_DOCS = ROOT / "golden" / "docs"
CLI = ROOT / ".venv" / "bin" / "extractor"
SAMPLE = GOLDEN_DOCS / "004_6c29cab8ffeca497.txt"


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    cmd = [str(CLI) if CLI.exists() else sys.executable, *([] if CLI.exists() else ["-m", "extractor.cli"]), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def _pdf_bytes(text: str) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 72), text, fontname="china-s", fontsize=11)
    data = doc.tobytes()
    doc.close()
    return data


def _encrypted_pdf(path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 72), "项目名称 加密文件", fontname="china-s")
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    doc.close()


# bad input name -> a word its one-line reason must contain (case-insensitive)
BAD = {
    "empty.txt": "empty",
    "zero.pdf": "empty",
    "random.pdf": "",
    "truncated.pdf": "",
    "locked.pdf": "password",
    "notes.xyz": "unsupported",
    "huge.txt": "limit",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    good = root / "good"
    good.mkdir()
    for f in sorted(GOLDEN_DOCS.glob("*.txt")):
        shutil.copy(f, good / f.name)
    text = SAMPLE.read_text(encoding="utf-8")
    # the same sample as real PDF / Word / Excel files
    from extractor.loaders import load
    from tests.render import render_docx, render_pdf, render_xlsx

    formats = root / "formats"
    formats.mkdir()
    sample = load(SAMPLE)
    render_pdf(sample, formats / "sample_pdf.pdf")
    render_docx(sample, formats / "sample_docx.docx")
    render_xlsx(sample, formats / "sample_xlsx.xlsx")
    enc = root / "encodings"
    enc.mkdir()
    (enc / "sample_gbk.txt").write_bytes(text.encode("gbk", errors="strict"))
    (enc / "sample_gb18030.txt").write_bytes(text.encode("gb18030"))
    (enc / "sample_utf16.txt").write_bytes(text.encode("utf-16"))
    (enc / "sample_utf8bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    # the same stem in two folders
    for folder in ("east", "west"):
        (root / "same" / folder).mkdir(parents=True)
        shutil.copy(SAMPLE, root / "same" / folder / "report.txt")
    bad = root / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "zero.pdf").write_bytes(b"")
    (bad / "random.pdf").write_bytes(random.Random(7).randbytes(5000))
    pdf = _pdf_bytes("项目支出绩效自评表\n项目名称 测试项目")
    (bad / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    _encrypted_pdf(bad / "locked.pdf")
    (bad / "notes.xyz").write_text("项目名称 未知格式", encoding="utf-8")
    (bad / "huge.txt").write_text(text * (5_000_000 // len(text.encode("utf-8")) + 1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def batch_run(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    bad = corpus / "bad"
    inputs = [corpus / "good", corpus / "formats", corpus / "encodings", corpus / "same",
              *(bad / name for name in BAD)]  # .xyz is attempted because it is named explicitly
    proc = run_cli("extract", *map(str, inputs), "-o", str(out), "--backend", "rules",
                   "--jobs", "2", "--max-mb", "4", "--quiet")
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return proc, out, manifest, inputs


def _entries(manifest) -> dict[str, dict]:
    return {Path(e["path"]).name if "same" not in e["path"] else e["stem"]: e for e in manifest["inputs"]}


def test_exit_code_and_no_traceback(batch_run):
    proc, out, manifest, _ = batch_run
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert manifest["status"] == "complete" and manifest["finished"]
    summary = proc.stdout.strip().splitlines()[-1]
    assert f"{manifest['totals']['ok']} documents ok, {len(BAD)} failed" in summary


def test_every_good_document_extracted(batch_run):
    _, out, manifest, _ = batch_run
    entries = _entries(manifest)
    for f in GOLDEN_DOCS.glob("*.txt"):
        e = entries[f.name]
        assert e["status"] == "ok", e
        assert e["reports"] >= 1 and e["sha256"] and e["backend"] == "rules"
        doc = load_document(out / f"{f.stem}.json")
        assert doc.document == f.stem
        assert sum(len(r.indicators) for r in doc.reports) == e["indicators"]
        assert all(isinstance(c.name, str) for r in doc.reports for c in r.checks)


def test_encodings_read_like_utf8(batch_run):
    _, out, manifest, _ = batch_run
    entries = _entries(manifest)
    reference = load_document(out / f"{SAMPLE.stem}.json")
    ref_indicators = [i.name for r in reference.reports for i in r.indicators]
    for name in ("sample_gbk.txt", "sample_gb18030.txt", "sample_utf16.txt", "sample_utf8bom.txt"):
        e = entries[name]
        assert e["status"] == "ok", e
        doc = load_document(out / f"{Path(name).stem}.json")
        assert [i.name for r in doc.reports for i in r.indicators] == ref_indicators, name


def test_binary_formats_extracted(batch_run):
    _, out, manifest, _ = batch_run
    entries = _entries(manifest)
    for name in ("sample_pdf.pdf", "sample_docx.docx", "sample_xlsx.xlsx"):
        e = entries[name]
        assert e["status"] == "ok", e
        assert e["reports"] >= 1 and e["indicators"] >= 1, e
        assert (out / "sources" / f"{Path(name).stem}.txt").read_text(encoding="utf-8")


def test_every_bad_input_failed_with_reason(batch_run):
    proc, out, manifest, _ = batch_run
    entries = _entries(manifest)
    for name, word in BAD.items():
        e = entries[name]
        assert e["status"] == "failed", e
        assert e["error"] and "\n" not in e["error"]
        assert not e["error"].startswith("internal error"), e["error"]
        assert word.lower() in e["error"].lower(), e["error"]
        assert e["output"] is None and not (out / f"{Path(name).stem}.json").exists()
        assert name in proc.stderr  # one line per failure on stderr


def test_outputs_valid_and_manifest_consistent(batch_run):
    _, out, manifest, inputs = batch_run
    json_files = [p for p in out.glob("*.json") if p.name != "run.json"]
    oks = [e for e in manifest["inputs"] if e["status"] == "ok"]
    assert len(json_files) == len(oks)
    for p in json_files:
        load_document(p)  # raises on anything off-contract
    t = manifest["totals"]
    assert t["ok"] + t["failed"] == t["inputs"] == len(manifest["inputs"])
    assert t["indicators"] == sum(e["indicators"] for e in oks)
    assert manifest["extractor_version"] and manifest["started"]
    for e in manifest["inputs"]:
        assert set(e["llm"]) >= {"llm_calls", "cache_hits", "prompt_tokens", "completion_tokens", "llm_seconds",
                                 "retries", "ungrounded_dropped", "failed_segments"}
    assert not list(out.glob(".*.tmp"))  # no temp files left behind


def test_same_stem_in_two_folders_both_kept(batch_run):
    _, out, manifest, _ = batch_run
    same = [e for e in manifest["inputs"] if "same" in e["path"]]
    assert len(same) == 2
    stems = {e["stem"] for e in same}
    assert len(stems) == 2 and all(s.startswith("report") for s in stems)
    for s in stems:
        assert load_document(out / f"{s}.json").document == s


def test_workbook_rows_match_json(batch_run):
    from openpyxl import load_workbook

    _, out, manifest, _ = batch_run
    total = sum(len(r.indicators) for p in out.glob("*.json") if p.name != "run.json"
                for r in load_document(p).reports)
    wb = load_workbook(out / "results.xlsx", read_only=True)
    assert sum(1 for _ in wb["指标"].iter_rows(min_row=2)) == total
    assert sum(1 for _ in wb["失败"].iter_rows(min_row=2)) == len(BAD)
    html = (out / "review.html").read_text(encoding="utf-8")
    assert 'type="application/json"' in html and "http://" not in html


def test_resume_processes_nothing(batch_run, corpus):
    proc0, out, before, inputs = batch_run
    proc = run_cli("extract", *map(str, inputs), "-o", str(out), "--backend", "rules",
                   "--max-mb", "4", "--quiet", "--resume")
    after = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert proc.returncode == 1  # the bad ones are tried again and fail again
    assert "Traceback" not in proc.stderr
    oks = [e for e in after["inputs"] if e["status"] == "ok"]
    assert oks and all(e["resumed"] for e in oks)
    assert after["totals"]["processed"] == len(BAD)  # only the failed ones
    assert {e["path"]: e["sha256"] for e in oks} == {e["path"]: e["sha256"] for e in before["inputs"]
                                                     if e["status"] == "ok"}


def test_resume_redoes_changed_content(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLE, src / "a.txt")
    shutil.copy(GOLDEN_DOCS / "000_810d7b326acf2007.txt", src / "b.txt")
    out = tmp_path / "out"
    assert run_cli("extract", str(src), "-o", str(out), "--backend", "rules", "--quiet").returncode == 0
    (src / "b.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_cli("extract", str(src), "-o", str(out), "--backend", "rules", "--quiet", "--resume")
    assert proc.returncode == 0
    entries = {Path(e["path"]).name: e for e in json.loads((out / "run.json").read_text())["inputs"]}
    assert entries["a.txt"]["resumed"] is True
    assert entries["b.txt"]["resumed"] is False
    assert load_document(out / "b.json").reports[0].name == load_document(out / "a.json").reports[0].name


def test_resume_redoes_an_output_lost_after_the_run(tmp_path):
    """Per-document JSON is written without fsync; after a power cut the file run.json vouches
    for can be empty or cut short, and --resume must extract it again, not trust the manifest."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SAMPLE, src / name)
    out = tmp_path / "out"
    assert run_cli("extract", str(src), "-o", str(out), "--backend", "rules", "--quiet").returncode == 0
    whole = (out / "c.json").read_text(encoding="utf-8")
    (out / "a.json").write_bytes(b"")
    (out / "b.json").write_text(whole[: len(whole) // 2], encoding="utf-8")
    proc = run_cli("extract", str(src), "-o", str(out), "--backend", "rules", "--quiet", "--resume")
    assert proc.returncode == 0, proc.stderr
    entries = {Path(e["path"]).name: e for e in json.loads((out / "run.json").read_text())["inputs"]}
    assert [entries[n]["resumed"] for n in ("a.txt", "b.txt", "c.txt")] == [False, False, True]
    for name in ("a", "b"):  # the same content as c's, only the document name differs
        assert (out / f"{name}.json").read_text(encoding="utf-8") == whole.replace('"document": "c"', f'"document": "{name}"', 1)


def _sheet_values(path: Path) -> dict[str, list[tuple]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_workbook_same_from_memory_and_from_disk(tmp_path):
    """--jobs 1 builds results.xlsx from the documents in memory, --jobs 2 re-reads each
    <stem>.json: the two must not differ by a cell."""
    src = tmp_path / "in"
    src.mkdir()
    for doc in sorted(GOLDEN_DOCS.glob("*.txt")):
        shutil.copy(doc, src / doc.name)
    outs = {}
    for jobs in ("1", "2"):
        outs[jobs] = tmp_path / f"out{jobs}"
        proc = run_cli("extract", str(src), "-o", str(outs[jobs]), "--backend", "rules", "--quiet", "--jobs", jobs)
        assert proc.returncode == 0, proc.stderr
    one, two = _sheet_values(outs["1"] / "results.xlsx"), _sheet_values(outs["2"] / "results.xlsx")
    assert sum(len(rows) for rows in one.values()) > 100
    assert one == two


@pytest.mark.parametrize("sig, jobs", [(signal.SIGINT, "1"), (signal.SIGTERM, "2")])
def test_ctrl_c_leaves_valid_manifest(tmp_path, sig, jobs):
    src = tmp_path / "in"
    src.mkdir()
    for k in range(40):
        shutil.copy(GOLDEN_DOCS / "002_c91a63db8a315d6c.txt", src / f"doc{k:02d}.txt")
    out = tmp_path / "out"
    cmd = [str(CLI), "extract", str(src), "-o", str(out), "--backend", "rules", "--quiet", "--jobs", jobs]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            data = json.loads((out / "run.json").read_text(encoding="utf-8"))
            if any(e["status"] == "ok" for e in data["inputs"]):
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=120)
    data = json.loads((out / "run.json").read_text(encoding="utf-8"))
    if data["status"] == "complete":
        pytest.skip("the batch finished before the interrupt arrived")
    assert proc.returncode == 130
    assert "Traceback" not in stderr
    assert data["status"] == "interrupted"
    done = [e for e in data["inputs"] if e["status"] == "ok"]
    assert done and data["totals"]["pending"] > 0
    for e in done:
        load_document(out / f"{e['stem']}.json")


# ---------------------------------------------------------------- in-process parts


def test_internal_error_goes_to_errors_log_not_stderr(tmp_path, monkeypatch, capsys):
    import extractor.pipeline as pipeline

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLE, src / "fine.txt")
    shutil.copy(SAMPLE, src / "boom.txt")
    real = pipeline.extract_document

    def flaky(path, options=None, *, stem=None):
        if Path(path).name == "boom.txt":
            raise ValueError("bad cell\nsecond line")
        return real(path, options, stem=stem)

    monkeypatch.setattr(pipeline, "extract_document", flaky)
    code = run_batch([src], tmp_path / "out", BatchOptions(backend="rules", progress=False))
    captured = capsys.readouterr()
    assert code == 1
    entries = {Path(e["path"]).name: e for e in json.loads((tmp_path / "out" / "run.json").read_text())["inputs"]}
    assert entries["fine.txt"]["status"] == "ok"
    assert entries["boom.txt"]["error"] == "internal error: ValueError: bad cell second line"
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    log = (tmp_path / "out" / "errors.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "boom.txt" in log


def test_expand_paths_and_stems(tmp_path):
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_text("1")
    (tmp_path / "a" / "deep" / "y.PDF").write_text("1")
    (tmp_path / "a" / "z.json").write_text("1")  # not a supported input: skipped in folders
    (tmp_path / "a" / "~$lock.docx").write_text("1")  # Office lock file
    (tmp_path / "a" / "old.doc").write_text("1")  # legacy: listed so it fails with a hint
    (tmp_path / "b" / "X.txt").write_text("1")
    out = tmp_path / "a" / "out"
    out.mkdir()
    (out / "results.xlsx").write_text("1")  # a previous run's output inside the input folder
    found = expand_paths([tmp_path / "a", tmp_path / "b", tmp_path / "a" / "z.json", tmp_path / "a" / "x.txt"], out)
    names = [p.name for p, _ in found]
    assert sorted(names) == sorted(["x.txt", "y.PDF", "old.doc", "X.txt", "z.json"])
    assert dict((p.name, e) for p, e in found)["z.json"] is True
    stems = assign_stems([p for p, _ in found])
    assert len({s.lower() for s in stems}) == len(stems)
    assert "x__a" in stems and "X__b" in stems


def test_crashing_worker_blames_its_file_only(tmp_path, monkeypatch, capsys):
    import extractor.pipeline as pipeline

    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "crash.txt", "b.txt", "c.txt"):
        shutil.copy(SAMPLE, src / name)
    real = pipeline.extract_document

    def crashing(path, options=None, *, stem=None):
        if Path(path).name == "crash.txt":
            os._exit(3)  # what a segfault in a native reader looks like to the pool
        return real(path, options, stem=stem)

    monkeypatch.setattr(pipeline, "extract_document", crashing)  # inherited by forked workers
    code = run_batch([src], tmp_path / "out", BatchOptions(backend="rules", jobs=2, progress=False))
    assert code == 1
    entries = {Path(e["path"]).name: e for e in json.loads((tmp_path / "out" / "run.json").read_text())["inputs"]}
    assert entries["crash.txt"]["status"] == "failed"
    assert "crashed" in entries["crash.txt"]["error"]
    assert all(entries[n]["status"] == "ok" for n in ("a.txt", "b.txt", "c.txt"))
    assert "Traceback" not in capsys.readouterr().err


def test_setup_error_stops_the_batch(tmp_path, monkeypatch, capsys):
    import extractor.pipeline as pipeline

    class LLMUnavailable(RuntimeError):
        pass

    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SAMPLE, src / name)

    def no_model(path, options=None, *, stem=None):
        raise LLMUnavailable("no model installed at /x: run `extractor model install`")

    monkeypatch.setattr(pipeline, "extract_document", no_model)
    code = run_batch([src], tmp_path / "out", BatchOptions(backend="llm", progress=False))
    err = capsys.readouterr().err
    assert code == 2
    assert "extractor model install" in err and "Traceback" not in err
    data = json.loads((tmp_path / "out" / "run.json").read_text())
    assert data["status"] == "stopped"
    assert [e["status"] for e in data["inputs"]] == ["failed", "pending", "pending"]


def test_reserved_stems_do_not_clobber_run_outputs(tmp_path):
    stems = assign_stems([tmp_path / "a" / "run.txt", tmp_path / "results.pdf", tmp_path / "b" / "doc.txt"])
    assert stems[0].lower() != "run" and stems[1].lower() != "results" and stems[2] == "doc"


def test_stale_output_removed_when_input_now_fails(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLE, src / "a.txt")
    out = tmp_path / "out"
    assert run_batch([src], out, BatchOptions(backend="rules", progress=False)) == 0
    assert (out / "a.json").exists()
    (src / "a.txt").write_bytes(b"")
    assert run_batch([src], out, BatchOptions(backend="rules", progress=False)) == 1
    assert not (out / "a.json").exists() and not (out / "sources" / "a.txt").exists()


def test_stems_for_same_name_different_suffix_and_deep_collisions(tmp_path):
    stems = assign_stems([tmp_path / "d" / "report.pdf", tmp_path / "d" / "report.docx"])
    assert stems == ["report__pdf", "report__docx"]
    deep = assign_stems([tmp_path / "a" / "x" / "r.txt", tmp_path / "b" / "x" / "r.txt", tmp_path / "c" / "r.txt"])
    assert len({s.lower() for s in deep}) == 3 and all(s.startswith("r__") for s in deep)


def test_output_folder_that_is_a_file_is_one_line(tmp_path):
    (tmp_path / "out").write_text("not a folder")
    proc = run_cli("extract", str(SAMPLE), "-o", str(tmp_path / "out"), "--backend", "rules")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "output folder" in proc.stderr


def test_jobs_fall_back_to_one_with_embedded_model(tmp_path, monkeypatch, capsys):
    import extractor.pipeline as pipeline

    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(SAMPLE, src / name)
    pids = []
    real = pipeline.extract_document

    def spy(path, options=None, *, stem=None):
        pids.append(os.getpid())
        return real(path, options.__class__(**{**options.__dict__, "backend": "rules"}), stem=stem)

    monkeypatch.setattr(pipeline, "extract_document", spy)
    code = run_batch([src], tmp_path / "out", BatchOptions(backend="hybrid", jobs=2, progress=False))
    assert code == 0
    assert set(pids) == {os.getpid()}  # read in this process, not in two model-loading workers
    assert "--jobs 2 ignored" in capsys.readouterr().err
