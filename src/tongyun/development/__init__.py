"""开发工作: change requests from the units (new functions, interface adaptation, upgrades) under the rows'
capped person-months (OT-05), with the reply deadline of row 57 and the free one-week upgrade (RD-03)."""
