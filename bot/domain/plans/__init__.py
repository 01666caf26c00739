"""Plans of measures: reading documents, deadline rules, executors and analysis."""
