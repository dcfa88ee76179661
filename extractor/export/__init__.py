"""Whole-run outputs for auditors: results.xlsx (`xlsx.write_workbook`) and review.html (`review.write_review`)."""
