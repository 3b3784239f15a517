"""What can be known without a player: the linter and the question linter, random and exhaustive
exploration, the over-approximation that proves items unreachable, and fact routes."""
