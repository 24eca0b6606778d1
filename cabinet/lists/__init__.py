"""Purchase lists: named lists of products a company buys again and again."""
