# The PyScript floor's Python (floor-pyscript.html): one function for the page to call.
def ping() -> str:
    return "ready"


__export__ = ["ping"]
