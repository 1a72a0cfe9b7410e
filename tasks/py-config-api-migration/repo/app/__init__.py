"""Helpdesk service."""
