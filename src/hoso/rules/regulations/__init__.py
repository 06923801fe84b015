"""One module per circular; ``hoso.rules.registry`` chooses among them (D11)."""
