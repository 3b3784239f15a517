"""What outlives a game: atomic writes into the data folder, saves, and the player's profile."""
