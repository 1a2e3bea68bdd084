"""合同考核: contract, fees, memoranda, evaluations, deductions, penalties, payments, settlement (EV-)."""
