"""Tests that cross the apps: permission walks over every URL, and the browser tests (browser/)."""
