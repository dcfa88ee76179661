"""Generate the eval/heldout5 documents (run from the repo root with .venv/bin/python).

Writes documents only; the labels (<stem>.json) were typed by hand from the documents.
Output is reproducible: zip entry times and core-property dates are fixed, PDF metadata fixed.
"""
import datetime
import io
import os
import re
import zipfile

import docx
from docx.enum.text import WD_BREAK
from docx.shared import Pt
from docx.oxml.ns import qn
import openpyxl
from openpyxl.styles import Alignment, Border, Side, Font
import pymupdf as fitz

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "docs")
FIXED = datetime.datetime(2026, 1, 1, 0, 0, 0)


def fix_zip(path):
    """Rewrite a zip with fixed entry times (byte-identical output)."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data)
            zi = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def new_doc():
    d = docx.Document()
    cp = d.core_properties
    cp.created = FIXED
    cp.modified = FIXED
    cp.last_printed = FIXED
    cp.author = "财务股"
    st = d.styles["Normal"]
    st.font.name = "宋体"
    st.font.size = Pt(10.5)
    st.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    return d


def fill(table, r, c, text, span_c=0, span_r=0):
    cell = table.cell(r, c)
    if span_c or span_r:
        cell = cell.merge(table.cell(r + span_r, c + span_c))
    cell.text = text
    return cell


# ---------------------------------------------------------------- 1: docx package
def doc1():
    d = new_doc()
    d.add_paragraph("绵阳市游仙区公安分局2022年度绩效自评材料").runs[0].bold = True

    # ---- department table: 8 columns
    d.add_paragraph("部门整体支出绩效自评表")
    d.add_paragraph("（2022年度）")
    rows = [
        ("产出指标", "数量指标", "刑事案件破案数", "≥600起", "642起", "15", "15", ""),
        ("产出指标", "质量指标", "命案侦破率", "100%", "100%", "15", "15", ""),
        ("产出指标", "时效指标", "110接处警到达现场时间（城区）", "≤10分钟", "8.5分钟", "10", "10", ""),
        ("效益指标", "社会效益指标", "辖区刑事警情同比下降", "≥5%", "7.2%", "20", "20", ""),
        ("效益指标", "可持续影响指标", "智慧警务平台覆盖派出所", "12个", "11个", "15", "13.5",
         "1个所因机房改造延期，2023年一季度完成接入"),
        ("满意度指标", "服务对象满意度指标", "群众安全感满意度", "≥95%", "96.3%", "15", "15", ""),
    ]
    t = d.add_table(rows=9 + len(rows) + 1, cols=8)
    t.style = "Table Grid"
    fill(t, 0, 0, "部门名称")
    fill(t, 0, 1, "绵阳市游仙区公安分局", span_c=6)
    fill(t, 1, 0, "年度预算执行情况（万元）", span_r=1)
    for i, h in enumerate(["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        fill(t, 1, i + 1, h)
    fill(t, 1, 7, "")
    for i, v in enumerate(["8,210.00", "8,642.50", "8,503.16", "10", "98.39%", "9.8"]):
        fill(t, 2, i + 1, v)
    fill(t, 3, 0, "其中：基本支出")
    for i, v in enumerate(["6,210.00", "6,250.00", "6,205.31", "—", "—", "—"]):
        fill(t, 3, i + 1, v)
    fill(t, 4, 0, "年度总体目标", span_r=1)
    fill(t, 4, 1, "预期目标", span_c=2)
    fill(t, 4, 4, "实际完成情况", span_c=3)
    fill(t, 5, 1, "保持对刑事犯罪的高压严打态势，提升破案打击效能；推进智慧警务建设，实现派出所智慧警务平台全覆盖；"
                  "强化社会治安防控，提升群众安全感和满意度。", span_c=2)
    fill(t, 5, 4, "全年破获刑事案件642起，命案全部侦破；建成智慧警务平台覆盖11个派出所；辖区刑事警情同比下降7.2%，"
                  "群众安全感满意度达96.3%。", span_c=3)
    fill(t, 6, 0, "绩效指标", span_c=7)
    for i, h in enumerate(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]):
        fill(t, 7, i, h)
    r = 8
    for row in rows:
        for i, v in enumerate(row):
            fill(t, r, i, v)
        r += 1
    fill(t, r, 0, "合计", span_c=4)
    fill(t, r, 5, "100")
    fill(t, r, 6, "98.3")
    # row 8 is unused filler? no: rows start at 8; table has 9+6+1 = 16 rows -> rows 8..13 ind, 14 合计, 15 spare
    fill(t, r + 1, 0, "填表人：刘建平    联系电话：0816-2268XXX    填报日期：2023年3月6日", span_c=7)

    projects = [
        ("2022年度公安检查站运行保障经费", "绵阳市游仙区公安分局交通警察大队",
         ["180.00", "186.40", "186.40", "10", "100%", "10"], ["180.00", "186.40", "186.40", "—", "—", "—"],
         "保障魏城公安检查站全年24小时运行，落实车辆、人员盘查登记，严防违法犯罪人员和危险物品流入。",
         "检查站全年365天24小时值守，盘查车辆信息录入准确率99.1%，查获违法犯罪人员41人。",
         [("产出指标", "数量指标", "检查站24小时值守天数", "365天", "365天", "20", "20", ""),
          ("产出指标", "质量指标", "盘查车辆信息录入准确率", "≥98%", "99.1%", "20", "20", ""),
          ("产出指标", "成本指标", "单站年运行成本", "≤95万元", "93.2万元", "10", "10", ""),
          ("效益指标", "社会效益指标", "查获违法犯罪人员", "≥30人", "41人", "20", "20", ""),
          ("满意度指标", "服务对象满意度指标", "过往群众满意度", "≥90%", "92%", "20", "19",
           "部分时段车流高峰排队时间较长，下一步增设快速通道")],
         "99"),
        ("2022年度禁毒专项工作经费", "绵阳市游仙区公安分局禁毒大队",
         ["45.00", "45.00", "42.30", "10", "94%", "9.4"], ["45.00", "45.00", "42.30", "—", "—", "—"],
         "深入开展禁毒宣传进社区、进校园活动，落实吸毒人员动态管控，遏制新增吸毒人员。",
         "开展禁毒宣传活动46场，吸毒人员尿检全覆盖，新发现吸毒人员同比下降18%。",
         [("产出指标", "数量指标", "开展禁毒宣传活动", "≥40场", "46场", "20", "20", ""),
          ("产出指标", "数量指标", "吸毒人员尿检覆盖率", "100%", "100%", "15", "15", ""),
          ("产出指标", "时效指标", "毒品案件线索核查时限", "≤15个工作日", "12个工作日", "15", "15", ""),
          ("效益指标", "社会效益指标", "新发现吸毒人员数量", "同比下降", "同比下降18%", "20", "20", ""),
          ("满意度指标", "服务对象满意度指标", "社区群众对禁毒工作满意度", "≥90%", "93.5%", "20", "20", "")],
         "99.4"),
        ("2022年度警用装备购置项目", "绵阳市游仙区公安分局警务保障室",
         ["320.00", "320.00", "268.55", "10", "83.92%", "8.4"], ["320.00", "320.00", "268.55", "—", "—", "—"],
         "购置执法记录仪150台、警用无人机4架，提升一线执法规范化和现代化水平。",
         "已完成执法记录仪150台、警用无人机4架的采购和验收，并配发至一线单位使用。",
         [("产出指标", "数量指标", "购置执法记录仪", "150台", "150台", "15", "15", ""),
          ("产出指标", "数量指标", "购置警用无人机", "4架", "4架", "15", "15", ""),
          ("产出指标", "质量指标", "装备验收合格率", "100%", "100%", "15", "15", ""),
          ("产出指标", "时效指标", "采购完成时间", "2022年10月底前", "2022年12月", "10", "7",
           "政府采购流程延长，部分合同款次年支付，已督促供应商按期交付"),
          ("效益指标", "可持续影响指标", "装备使用年限", "≥5年", "≥5年", "15", "15", ""),
          ("满意度指标", "服务对象满意度指标", "一线民警满意度", "≥90%", "95%", "20", "20", "")],
         "95.4"),
    ]
    for name, unit, vals, sub, goal, act, inds, total in projects:
        d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        d.add_paragraph("项目支出绩效自评表")
        d.add_paragraph("（2022年度）")
        t = d.add_table(rows=10 + len(inds), cols=8)
        t.style = "Table Grid"
        fill(t, 0, 0, "项目名称")
        fill(t, 0, 1, name, span_c=6)
        fill(t, 1, 0, "主管部门")
        fill(t, 1, 1, "绵阳市游仙区公安分局", span_c=2)
        fill(t, 1, 4, "实施单位")
        fill(t, 1, 5, unit, span_c=2)
        fill(t, 2, 0, "项目资金（万元）")
        for i, h in enumerate(["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
            fill(t, 2, i + 1, h)
        fill(t, 3, 0, "年度资金总额")
        for i, v in enumerate(vals):
            fill(t, 3, i + 1, v)
        fill(t, 4, 0, "其中：当年财政拨款")
        for i, v in enumerate(sub):
            fill(t, 4, i + 1, v)
        fill(t, 5, 0, "年度总体目标", span_r=1)
        fill(t, 5, 1, "预期目标", span_c=2)
        fill(t, 5, 4, "实际完成情况", span_c=3)
        fill(t, 6, 1, goal, span_c=2)
        fill(t, 6, 4, act, span_c=3)
        fill(t, 7, 0, "绩效指标", span_c=7)
        for i, h in enumerate(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]):
            fill(t, 8, i, h)
        r = 9
        for row in inds:
            for i, v in enumerate(row):
                fill(t, r, i, v)
            r += 1
        fill(t, r, 0, "合计", span_c=4)
        fill(t, r, 5, "100")
        fill(t, r, 6, total)
    p = os.path.join(OUT, "h5_01_sichuan_gongan_2022.docx")
    d.save(p)
    fix_zip(p)


# ---------------------------------------------------------------- 2: xlsx rubric
def doc2():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "绩效股"
    thin = Side(style="thin")
    b = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append(["保定市莲池区财政局2021年度部门整体支出绩效评价评分表"])
    ws.merge_cells("A1:G1")
    ws.append(["部门名称：保定市莲池区财政局", None, None, None, "评价年度：2021年度"])
    ws.merge_cells("A2:D2")
    ws.merge_cells("E2:G2")
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "指标解释", "评分标准", "得分"])
    R = [
        ("决策", "目标设定", "绩效目标合理性", 3, "部门整体绩效目标是否符合国家法律法规、部门职责和年度工作计划。", "目标合理得3分，否则酌情扣分。", 3),
        (None, None, "绩效指标明确性", 3, "绩效指标是否细化、量化，是否与预算资金量匹配。", "指标细化量化得1.5分，与资金量匹配得1.5分。", 2.5),
        (None, "预算编制", "预算编制科学性", 5, "预算编制是否经过科学论证，内容与部门职责是否匹配。", "编制科学得5分，每发现一处问题扣0.5分。", 4.5),
        (None, None, "资金分配合理性", 4, "资金分配是否有测算依据，与实际工作是否相适应。", "分配合理得4分，否则酌情扣分。", 4),
        ("过程", "资金管理", "资金到位率", 5, "实际到位资金/预算资金×100%。", "到位率×5分。", 5),
        (None, None, "预算执行率", 5, "实际支出资金/实际到位资金×100%。", "执行率×5分。", 4.6),
        (None, None, "资金使用合规性", 5, "资金使用是否符合财经法规和财务管理制度。", "无违规得5分，发现一处违规扣1分。", 5),
        (None, "组织实施", "管理制度健全性", 5, "是否建立健全内部管理制度。", "制度健全得5分，否则酌情扣分。", 5),
        (None, None, "制度执行有效性", 5, "各项制度是否得到有效执行，资产、合同管理是否规范。", "执行有效得5分，每发现一处问题扣0.4分。", 4.2),
        ("产出", "产出数量", "重点工作任务完成率", 10, "年度重点工作任务实际完成数/计划完成数×100%。", "完成率×10分。", 9.5),
        (None, "产出质量", "财政投资评审审减率", 10, "评审审减金额/送审金额×100%，反映评审质量。", "审减率≥8%得10分，每低1个百分点扣1分。", 10),
        (None, "产出时效", "资金拨付及时率", 10, "按规定时限拨付的资金/应拨付资金×100%。", "及时率×10分。", 9),
        ("效益", "社会效益", "财政保障能力", 10, "“三保”支出保障情况及库款保障水平。", "“三保”足额保障得6分，库款保障水平合理得4分。", 9.2),
        (None, None, "政府采购规范性", 10, "政府采购活动是否依法依规开展。", "无违规得10分，发现一处问题扣2分。", 10),
        (None, "满意度", "服务对象满意度", 10, "预算单位及社会公众对财政服务的满意程度。", "满意度×10分。", 9.6),
    ]
    for row in R:
        ws.append(list(row))
    ws.append(["总分", None, None, 100, None, None, 95.1])
    last = ws.max_row
    ws.merge_cells(start_row=last, start_column=1, end_row=last, end_column=3)
    # merged 一级 / 二级 ranges (rows 4..18)
    for rng in ["A4:A7", "B4:B5", "B6:B7", "A8:A12", "B8:B10", "B11:B12", "A13:A15", "A16:A18", "B16:B17"]:
        ws.merge_cells(rng)
    ws.append([])
    ws.append(["评价组组长：王志强", None, None, None, "评价日期：2022年4月15日"])
    for row in ws.iter_rows(min_row=3, max_row=last):
        for c in row:
            c.border = b
            c.alignment = Alignment(wrap_text=True, vertical="center")
    for col, w in zip("ABCDEFG", [8, 12, 20, 7, 40, 36, 7]):
        ws.column_dimensions[col].width = w
    for r in range(4, last + 1):
        ws.cell(r, 7).number_format = "0.0"
    p = os.path.join(OUT, "h5_02_hebei_caizheng_2021.xlsx")
    wb.save(p)
    fix_zip(p)


# ---------------------------------------------------------------- 3: html saved as .xls
def doc3():
    H = []
    a = H.append
    a('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">')
    a('<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>项目支出绩效自评表</title></head>')
    a('<body>')
    a('<table border="1" cellspacing="0" cellpadding="2">')
    a('<tr><td colspan="8" align="center"><b>项目支出绩效自评表</b></td></tr>')
    a('<tr><td colspan="8" align="center">（2022年度）</td></tr>')
    a('<tr><td>项目名称</td><td colspan="7">2022年农村中小学校舍维修改造项目</td></tr>')
    a('<tr><td>主管部门</td><td colspan="3">常州市武进区教育局</td><td>实施单位</td><td colspan="3">常州市武进区教育基建管理中心</td></tr>')
    a('<tr><td rowspan="3">项目资金<br>（万元）</td><td></td><td>年初预算数</td><td>全年预算数</td><td>全年执行数</td><td>分值</td><td>执行率</td><td>得分</td></tr>')
    a('<tr><td>年度资金总额</td><td>1,250.00</td><td>1,380.00</td><td>1,342.60</td><td>10</td><td>97.29%</td><td>9.7</td></tr>')
    a('<tr><td>其中：当年财政拨款</td><td>1,250.00</td><td>1,380.00</td><td>1,342.60</td><td>—</td><td>—</td><td>—</td></tr>')
    a('<tr><td rowspan="2">年度总体目标</td><td colspan="4">预期目标</td><td colspan="3">实际完成情况</td></tr>')
    a('<tr><td colspan="4">对全区14所农村中小学校实施校舍维修改造，完成屋面防水、外墙修缮、门窗更换等工程不少于18000平方米，'
      '消除校舍安全隐患，改善农村学校办学条件。</td><td colspan="3">完成14所学校校舍维修改造18650平方米，工程全部通过验收，'
      '校舍安全隐患全部消除。</td></tr>')
    a('<tr><td rowspan="10">绩<br>效<br>指<br>标</td><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值</td>'
      '<td>实际完成值</td><td>分值</td><td>得分</td></tr>')
    rows = [
        '<td rowspan="4">产出指标</td><td rowspan="2">数量指标</td><td>维修改造校舍面积</td><td>≥18000平方米</td><td>18650平方米</td><td>10</td><td>10</td>',
        '<td>改造学校数量</td><td>14所</td><td>14所</td><td>10</td><td>10</td>',
        '<td>质量指标</td><td>工程验收合格率</td><td>100%</td><td>100%</td><td>10</td><td>10</td>',
        '<td>时效指标</td><td>暑期施工完成率</td><td>≥95%</td><td>92%</td><td>10</td><td>8</td>',
        '<td rowspan="2">效益指标</td><td>社会效益指标</td><td>消除校舍安全隐患</td><td>全部消除</td><td>全部消除</td><td>15</td><td>15</td>',
        '<td>可持续影响指标</td><td>校舍使用年限延长</td><td>≥10年</td><td>≥10年</td><td>15</td><td>15</td>',
        '<td>满意度指标</td><td>服务对象满意度指标</td><td>师生及家长满意度</td><td>≥90%</td><td>94.6%</td><td>20</td><td>19.5</td>',
    ]
    for r in rows:
        a('<tr>' + r + '</tr>')
    a('<tr><td colspan="5">合计</td><td>100</td><td>97.2</td></tr>')
    a('<tr><td colspan="7">说明：无</td></tr>')
    a('</table>')
    a('</body></html>')
    with open(os.path.join(OUT, "h5_03_jiangsu_jiaoyu_2022.xls"), "w", encoding="utf-8", newline="\r\n") as f:
        f.write("\n".join(H) + "\n")


# ---------------------------------------------------------------- 4: numbered txt
def doc4():
    L = [
        "韶关市曲江区2020年度项目支出绩效自评表",
        "",
        "项目名称：2020年农村公益电影放映补助",
        "主管部门：韶关市曲江区文化广电旅游体育局\t实施单位：韶关市曲江区文化广电旅游体育局",
        "",
        "项目资金（万元）\t预算数\t执行数\t执行率\t分值\t得分",
        "年度资金总额\t24.72\t24.72\t100%\t10\t10",
        "",
        "年度目标：完成全区农村公益电影放映1200场以上，实现行政村放映全覆盖，丰富农村群众文化生活。",
        "完成情况：全年放映1236场，覆盖全区全部行政村，观影6.8万人次。",
        "",
        "序号\t三级指标\t指标值\t实际值\t分值\t得分",
        "1\t农村公益电影放映场次\t≥1200场\t1236场\t20\t20",
        "2\t放映行政村覆盖率\t100%\t100%\t15\t15",
        "3\t单场放映补助标准\t200元/场\t200元/场\t10\t10",
        "4\t放映计划按月完成率\t≥95%\t91%\t10\t8",
        "5\t观影人次\t≥6万人次\t6.8万人次\t15\t15",
        "6\t群众观影满意度\t≥90%\t93%\t20\t20",
        "合计\t\t\t\t100\t98",
        "",
        "注：合计分值含预算执行率10分。",
        "",
        "填报单位（盖章）：韶关市曲江区文化广电旅游体育局\t填报日期：2021年2月26日",
    ]
    with open(os.path.join(OUT, "h5_04_guangdong_wenguang_2020.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(L) + "\n")


# ---------------------------------------------------------------- 5: prose transfer, two sub-funds
def doc5():
    T = """张掖市甘州区2023年度中央财政农业相关转移支付资金绩效自评报告

根据省财政厅、省农业农村厅关于开展2023年度中央对地方转移支付绩效自评工作的通知要求，甘州区农业农村局对下达我区的中央财政农业相关转移支付资金中的两项资金分别开展了绩效自评，现将有关情况报告如下。

一、耕地地力保护补贴资金

（一）基本情况。耕地地力保护补贴资金的资金使用单位为张掖市甘州区农业农村局。2023年全年预算数4,862.35万元，全年执行数4,862.35万元，执行率100%。

（二）绩效目标及完成情况。年度绩效目标：按照确权面积足额兑付耕地地力保护补贴，引导农民加强农业生态资源保护，提升耕地地力。完成情况：全区79.2万亩耕地地力保护补贴资金已通过“一卡通”全部兑付到户，补贴对象对政策知晓率和满意度较高。

（三）绩效指标完成情况。数量指标方面，“补贴发放面积”指标值为不少于78万亩，实际完成79.2万亩；质量指标方面，“补贴资金兑付准确率”指标值为100%，实际完成值为100%；时效指标方面，“补贴资金发放时间”指标值为“2023年6月底前”，实际完成值为“2023年5月26日”；服务对象满意度指标方面，“补贴对象满意度”指标值为≥90%，实际完成值为95%。

（四）自评结论。经综合评定，该项资金自评得分99分，评价等级为“优”。

二、农机购置与应用补贴资金

（一）基本情况。农机购置与应用补贴资金的资金使用单位为张掖市甘州区农业机械化技术推广中心。2023年全年预算数1,236.00万元，全年执行数1,105.82万元，执行率89.47%，结余资金主要为年底前部分机具尚未完成核验。

（二）绩效目标及完成情况。年度绩效目标：对购置和应用先进适用农机具的农户和农业生产经营组织给予补贴，推动全区农作物耕种收综合机械化率达到88%以上。完成情况：全年补贴各类机具702台（套），受益农户和农业生产经营组织538户，全区农作物耕种收综合机械化率达到89.5%。

（三）绩效指标完成情况。数量指标方面，“补贴机具数量”指标值为≥650台（套），实际完成702台（套）；“受益农户和农业生产经营组织数量”指标值为≥500户，实际完成538户。社会效益指标方面，“农作物耕种收综合机械化率”指标值为≥88%，实际完成89.5%。服务对象满意度指标方面，“购机户满意度”指标值为≥90%，实际完成92%。

（四）自评结论。经综合评定，该项资金自评得分94.5分，评价等级为“优”。扣分原因为预算执行率未达到100%。

三、下一步工作

一是加快农机购置补贴机具核验进度，提高资金执行率；二是加强补贴政策宣传，进一步提升群众满意度。

张掖市甘州区农业农村局
2024年3月18日
"""
    with open(os.path.join(OUT, "h5_05_gansu_nongye_2023.txt"), "w", encoding="utf-8") as f:
        f.write(T)


# ---------------------------------------------------------------- 6: docx with three header rows
def doc6():
    d = new_doc()
    d.add_paragraph("项目支出绩效自评表")
    d.add_paragraph("（2024年度）")
    inds = [
        ("产出指标", "数量指标", "享受居家养老服务补贴老人数", "≥2800人", "2915人", "15", "15"),
        ("产出指标", "数量指标", "助餐服务点建设数量", "10个", "10个", "10", "10"),
        ("产出指标", "质量指标", "服务质量抽查合格率", "≥95%", "97.2%", "10", "10"),
        ("产出指标", "时效指标", "补贴按月发放及时率", "100%", "100%", "10", "10"),
        ("产出指标", "成本指标", "人均月补贴标准", "200元/人", "200元/人", "5", "5"),
        ("效益指标", "社会效益指标", "困难老人居家养老服务需求满足率", "≥85%", "88.6%", "15", "15"),
        ("效益指标", "可持续影响指标", "居家养老服务长效机制", "逐步健全", "逐步健全", "10", "9"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "91.5%", "15", "14"),
    ]
    n = 9 + len(inds) + 1
    t = d.add_table(rows=n, cols=7)
    t.style = "Table Grid"
    fill(t, 0, 0, "项目名称")
    fill(t, 0, 1, "2024年居家养老服务补贴项目", span_c=5)
    fill(t, 1, 0, "主管部门")
    fill(t, 1, 1, "芜湖市鸠江区民政局", span_c=1)
    fill(t, 1, 3, "实施单位")
    fill(t, 1, 4, "芜湖市鸠江区养老服务指导中心", span_c=2)
    fill(t, 2, 0, "项目资金（万元）")
    for i, h in enumerate(["年初预算数", "全年预算数", "全年执行数", "执行率", "分值", "得分"]):
        fill(t, 2, i + 1, h)
    fill(t, 3, 0, "年度资金总额")
    for i, v in enumerate(["560.00", "612.80", "598.46", "97.66%", "10", "9.8"]):
        fill(t, 3, i + 1, v)
    fill(t, 4, 0, "年度总体目标", span_r=1)
    fill(t, 4, 1, "预期目标", span_c=2)
    fill(t, 4, 4, "实际完成情况", span_c=2)
    fill(t, 5, 1, "为全区2800名以上经济困难、失能、高龄老人提供居家养老服务补贴，新建助餐服务点10个，"
                  "健全居家养老服务长效机制。", span_c=2)
    fill(t, 5, 4, "全年为2915名老人发放居家养老服务补贴，建成助餐服务点10个，服务质量抽查合格率97.2%。", span_c=2)
    # three header rows
    fill(t, 6, 0, "绩效指标", span_c=2)
    for i, h in enumerate(["年度指标值", "实际完成值", "分值", "得分"]):
        fill(t, 6, 3 + i, h, span_r=1)
    for i, h in enumerate(["一级指标", "二级指标", "三级指标"]):
        fill(t, 7, i, h)
    for i in range(7):
        fill(t, 8, i, str(i + 1))
    r = 9
    starts = {}
    for row in inds:
        for i, v in enumerate(row):
            fill(t, r, i, v)
        r += 1
    # merge 一级 / 二级 vertically
    def vmerge(c, r0, r1):
        cell = t.cell(r0, c).merge(t.cell(r1, c))
        txt = t.cell(r0, c).text.split("\n")[0]
        cell.text = txt
    vmerge(0, 9, 13)
    vmerge(1, 9, 10)
    vmerge(0, 14, 15)
    fill(t, r, 0, "合计", span_c=4)
    fill(t, r, 5, "100")
    fill(t, r, 6, "97.8")
    d.add_paragraph("填表人：陈晓燕　　审核人：吴国庆　　填报日期：2025年3月12日")
    p = os.path.join(OUT, "h5_06_anhui_minzheng_2024.docx")
    d.save(p)
    fix_zip(p)


# ---------------------------------------------------------------- 7: ruled pdf, merged spans, page 2 no header
def doc7():
    doc = fitz.open()
    W, Hh = 595, 842
    FONT = "china-s"
    X = [30, 80, 140, 250, 325, 400, 435, 480, 565]  # 8 columns
    RH = 26

    def text(page, rect, s, size=8):
        r = fitz.Rect(*rect)
        for sz in (size, 7, 6):
            rc = page.insert_textbox(r + (2, 3, -2, -2), s, fontsize=sz, fontname=FONT, align=0)
            if rc >= 0:
                return
        raise ValueError("text does not fit: " + s)

    def hline(page, x0, x1, y):
        page.draw_line((x0, y), (x1, y), width=0.6)

    def vline(page, x, y0, y1):
        page.draw_line((x, y0), (x, y1), width=0.6)

    def full_row(page, y, cells, h=RH):
        """cells: list of (col0, col1, text); draws borders for the row"""
        hline(page, X[0], X[-1], y)
        hline(page, X[0], X[-1], y + h)
        for c0, c1, s in cells:
            vline(page, X[c0], y, y + h)
            vline(page, X[c1], y, y + h)
            if s:
                text(page, (X[c0], y, X[c1], y + h), s)

    page = doc.new_page(width=W, height=Hh)
    page.insert_text((220, 50), "项目支出绩效自评表", fontsize=14, fontname=FONT)
    page.insert_text((255, 68), "（2020年度）", fontsize=10, fontname=FONT)
    y = 80
    full_row(page, y, [(0, 1, "项目名称"), (1, 8, "2020年小型水库除险加固项目")]); y += RH
    full_row(page, y, [(0, 1, "主管部门"), (1, 3, "临沂市兰山区水利局"), (3, 4, "实施单位"),
                       (4, 8, "临沂市兰山区水利工程建设服务中心")]); y += RH
    full_row(page, y, [(0, 2, "项目资金（万元）"), (2, 3, "年初预算数"), (3, 4, "全年预算数"), (4, 5, "全年执行数"),
                       (5, 6, "分值"), (6, 7, "执行率"), (7, 8, "得分")]); y += RH
    full_row(page, y, [(0, 2, "年度资金总额"), (2, 3, "1,800.00"), (3, 4, "1,956.00"), (4, 5, "1,887.54"),
                       (5, 6, "10"), (6, 7, "96.50%"), (7, 8, "9.7")]); y += RH
    full_row(page, y, [(0, 2, "年度总体目标"), (2, 5, "预期目标"), (5, 8, "实际完成情况")]); y += RH
    g_t = "完成6座小型病险水库除险加固，新建溢洪道1.2公里以上，汛前完成主体工程，消除病险隐患，恢复水库蓄水能力，保障下游群众生命财产安全。"
    g_a = "6座水库除险加固主体工程于2020年6月10日前全部完工，新建溢洪道1.26公里，经验收单位工程质量全部合格，病险隐患全部消除。"
    full_row(page, y, [(0, 2, ""), (2, 5, g_t), (5, 8, g_a)], h=70); y += 70
    full_row(page, y, [(0, 1, "一级指标"), (1, 2, "二级指标"), (2, 3, "三级指标"), (3, 4, "年度指标值"),
                       (4, 5, "实际完成值"), (5, 6, "分值"), (6, 7, "得分"), (7, 8, "偏差原因分析及改进措施")]); y += RH
    rows = [
        ("产出指标", "数量指标", "除险加固小型水库座数", "6座", "6座", "8", "8", ""),
        (None, None, "新建溢洪道长度", "≥1.2公里", "1.26公里", "6", "6", ""),
        (None, None, "坝体防渗处理面积", "≥3.5万平方米", "3.62万平方米", "6", "6", ""),
        (None, "质量指标", "单位工程质量合格率", "100%", "100%", "8", "8", ""),
        (None, None, "大坝安全鉴定等级", "达到一类坝标准", "达到一类坝标准", "7", "7", ""),
        (None, "时效指标", "主体工程完工时间", "2020年汛前", "2020年6月10日", "5", "5", ""),
        (None, "成本指标", "工程投资控制", "≤批复概算", "未超概算", "10", "10", ""),
        ("效益指标", "社会效益指标", "受益人口", "≥2.4万人", "2.55万人", "6", "6", ""),
        "PAGEBREAK",
        (None, None, "保护下游耕地面积", "≥1.8万亩", "1.8万亩", "6", "6", ""),
        (None, None, "消除病险水库安全隐患", "6座", "6座", "6", "6", ""),
        (None, "生态效益指标", "水库蓄水能力恢复", "≥420万立方米", "398万立方米", "6", "4.5",
         "2020年降水偏少，蓄水未达设计兴利库容，待丰水年复核"),
        (None, "可持续影响指标", "工程管护责任落实率", "100%", "100%", "6", "6", ""),
        ("满意度指标", "服务对象满意度指标", "库区周边群众满意度", "≥90%", "96%", "10", "10", ""),
    ]
    IH = 34
    for row in rows:
        if row == "PAGEBREAK":
            # close the columns at the page bottom: the merged 一级/二级 cells run on
            hline(page, X[2], X[-1], y)
            page.insert_text((290, 810), "1", fontsize=9, fontname=FONT)
            page = doc.new_page(width=W, height=Hh)
            y = 50
            hline(page, X[0], X[-1], y)
            continue
        l1, l2 = row[0], row[1]
        # horizontal top line: over the 三级.. columns always; over 一级/二级 only where a new span starts
        hline(page, X[2], X[-1], y)
        if l1 is not None:
            hline(page, X[0], X[1], y)
        if l2 is not None:
            hline(page, X[1], X[2], y)
        for x in X:
            vline(page, x, y, y + IH)
        for c, s in enumerate(row):
            if s:
                text(page, (X[c], y, X[c + 1], y + IH), s)
        y += IH
    hline(page, X[0], X[-1], y)
    full_row(page, y, [(0, 5, "合计"), (5, 6, "100"), (6, 7, "98.2"), (7, 8, "")]); y += RH
    page.insert_text((40, y + 24), "填表人：孙立华        联系电话：0539-8126XXX        填报日期：2021年3月20日",
                     fontsize=9, fontname=FONT)
    page.insert_text((290, 810), "2", fontsize=9, fontname=FONT)
    doc.set_metadata({"title": "项目支出绩效自评表", "author": "兰山区水利局", "creator": "make_docs.py",
                      "producer": "PyMuPDF", "creationDate": "D:20260101000000", "modDate": "D:20260101000000"})
    doc.save(os.path.join(OUT, "h5_07_shandong_shuili_2020.pdf"), garbage=3, deflate=True, no_new_id=True)


# ---------------------------------------------------------------- 8: one cell per line dump
def doc8():
    def row(*cells):
        return "\n".join("\t" + c for c in cells) + "\n"
    S = ""
    S += "宜昌市夷陵区2024年度项目支出绩效自评表\n\n"
    S += "\t项目支出绩效自评表\n(2024年度）\n\n"
    S += row("项目名称", "2024年县域商业体系建设项目") + "\n"
    S += row("主管部门", "宜昌市夷陵区商务局", "实施单位", "宜昌市夷陵区商务局") + "\n"
    S += row("项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分") + "\n"
    S += row("年度资金总额", "600.00", "650.00", "633.10", "10", "97.40%", "9.7") + "\n"
    S += row("其中：中央补助资金", "500.00", "500.00", "500.00", "—", "—", "—") + "\n"
    S += row("年度总体目标", "预期目标", "实际完成情况") + "\n"
    S += row("", "建设改造乡镇商贸中心3个、村级便民商店20个，完善县乡村三级物流配送体系，推动农村消费提质扩容。",
             "建成乡镇商贸中心3个，改造村级便民商店20个，新增村级物流服务站12个，快递进村覆盖率达到100%。") + "\n"
    S += row("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施") + "\n"
    S += row("", "产出指标", "数量指标", "建设改造乡镇商贸中心", "3个", "3个", "10", "10", "") + "\n"
    S += row("", "", "", "改造村级便民商店", "20个", "20个", "10", "10", "") + "\n"
    S += row("", "", "", "新增村级物流服务站", "≥15个", "12个", "10", "8",
             "2个村选址调整、1个村场地未落实，")
    S += "已纳入2025年建设计划\n\n"
    S += row("", "", "", "其中：邮快合作站点", "≥5个", "6个", "", "", "") + "\n"
    S += row("", "", "质量指标", "项目验收合格率", "100%", "100%", "10", "10", "") + "\n"
    S += "\n— 1 —\n\n宜昌市夷陵区2024年度项目支出绩效自评表\n\n"
    S += row("", "", "时效指标", "项目建设完成时间", "2024年11月底前", "2024年11月25日", "5", "5", "") + "\n"
    S += row("", "", "成本指标", "商贸中心单个补助标准", "≤80万元", "80万元", "5", "5", "") + "\n"
    S += row("", "效益指标", "经济效益指标", "农村网络零售额增长率", "≥10%", "12.3%", "15", "15", "") + "\n"
    S += row("", "", "社会效益指标", "快递进村覆盖率", "100%", "100%", "10", "10", "") + "\n"
    S += row("", "满意度指标", "服务对象满意度\n指标", "村民对便民商店服务满意度", "≥90%", "93%", "15", "14", "") + "\n"
    S += row("合计", "", "", "", "", "", "100", "96.7", "") + "\n"
    S += "\n— 2 —\n"
    with open(os.path.join(OUT, "h5_08_hubei_shangwu_2024.txt"), "w", encoding="utf-8") as f:
        f.write(S)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for f in (doc1, doc2, doc3, doc4, doc5, doc6, doc7, doc8):
        f()
