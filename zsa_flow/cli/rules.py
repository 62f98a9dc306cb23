"""CLI for the domain rules (filled by the rules work): `zsa-flow wohngeld`, `zsa-flow hundesteuer`."""
