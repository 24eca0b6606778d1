"""The 1C:Enterprise "exchange with site" protocol (CommerceML 2.0x/2.10) at
/exchange/1c/: 1C sends the catalogue, prices and stock and takes the orders."""
