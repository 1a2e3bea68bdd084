"""供电与通信: electricity paid on the units' behalf (电费代结算, OT-03) and the network links of each system
(OT-04), both settled with the contract."""
