"""Files exchanged with schools and other software: Excel workbooks, JSON interchange."""
