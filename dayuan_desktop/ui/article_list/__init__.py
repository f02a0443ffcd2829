"""The article list: channel tree, filters, search field and the lazy table."""
