"""Watch: reads the sources kept in the store, writes new reports into it and alerts on what
changed (polling in poll, rules in rules, delivery in deliver, commands in cli)."""
