"""Forks of Oscar's dashboard report modules, found through `shop.dashboard`."""
