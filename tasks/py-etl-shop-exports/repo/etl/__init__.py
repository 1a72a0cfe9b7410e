"""Shop order exports -> daily revenue per currency."""
