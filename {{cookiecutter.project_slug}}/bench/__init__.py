"""`make bench`: the service's speed, memory and start-up beside two ceilings."""
