"""Access-log parsing and aggregation."""

from logstats.aggregate import Aggregator, EndpointStats
from logstats.model import Request
from logstats.parser import MalformedLine, parse_duration, parse_line

__all__ = ["Aggregator", "EndpointStats", "MalformedLine", "Request", "parse_duration", "parse_line"]
