"""Excel of the contract: the fee register (export and import) and the settlement (export)."""

from django.utils.translation import gettext as _

from tongyun.core import excel

from .services import fee_sheet


def fees_workbook(fees) -> bytes:
    return excel.write_workbook([(fee_sheet(), fees)])


def settlement_workbook(data: dict) -> bytes:
    months = data.get("months", [])
    columns = [excel.Column(_("用户单位"), "unit", width=24), excel.Column(_("序号"), "row_no", "int", width=8),
               excel.Column(_("系统名称"), "system", width=36),
               excel.Column(_("年度服务费（元）"), "annual_fee", "decimal"),
               excel.Column(_("调整后服务费（元）"), "adjusted_fee", "decimal")]
    columns += [excel.Column(f"{m:%Y-%m} {_('扣款')}", f"m{i}", "decimal", width=12) for i, m in enumerate(months)]
    columns += [excel.Column(_("扣款合计（元）"), "deductions", "decimal"),
                excel.Column(_("违约金（元）"), "penalties", "decimal"),
                excel.Column(_("备品备件（元）"), "spares", "text"),
                excel.Column(_("代缴电费（元）"), "electricity", "text"),
                excel.Column(_("应付金额（元）"), "due", "decimal"),
                excel.Column(_("考核已签署"), "signed", "bool")]
    not_measured = _("未计量")
    rows = []
    for unit in data["units"]:
        for row in unit["systems"]:
            record = {"unit": unit["unit"].name, "row_no": row["system"].row_no, "system": row["system"].name,
                      "annual_fee": row["annual_fee"], "adjusted_fee": row["adjusted_fee"],
                      "deductions": row["deductions"], "penalties": row["penalties"],
                      "spares": not_measured if row["spares"] is None else f"{row['spares']:.2f}",
                      "electricity": not_measured if row["electricity"] is None else f"{row['electricity']:.2f}",
                      "due": row["due"], "signed": row["signed"]}
            record.update({f"m{i}": value for i, value in enumerate(row["deductions_by_month"])})
            rows.append(record)
        if unit["unit_penalties"]:
            rows.append({"unit": unit["unit"].name, "system": _("单位层面违约金"), "penalties": unit["unit_penalties"],
                         "due": -unit["unit_penalties"]})
    return excel.write_workbook([(excel.SheetSpec(_("结算"), columns), [_Row(r) for r in rows])])


class _Row:
    def __init__(self, values: dict):
        self.__dict__.update(values)

    def __getattr__(self, name):
        return None
