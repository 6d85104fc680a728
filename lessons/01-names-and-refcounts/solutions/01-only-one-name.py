import sys
config = {"debug": False}
backup = config
history = [config]
settings = {"current": config}
del backup, history, settings
print(sys.getrefcount(config))
