"""Accord: governments and civil society monitor anti-corruption commitments together."""
