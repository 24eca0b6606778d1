"""Sales: the basket, the order and checkout (Oscar's forked apps; their app labels
stay `basket`, `order` and `checkout`)."""
