"""Due items from member records (filled in below)."""
