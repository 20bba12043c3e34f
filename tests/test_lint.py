"The exported library has no undefined names. A name that a notebook gets from another of its cells (a hidden import, say) passes nbdev-test, but the module exported from the notebook has only its own imports: in the installed library the name is undefined."
import ast, pathlib
from pyflakes import checker, messages

LIB = pathlib.Path(__file__).parents[1]/'vaegan_tutorial'
UNDEFINED = (messages.UndefinedName, messages.UndefinedExport, messages.UndefinedLocal)


def undefined_names(path: pathlib.Path) -> list[str]:
    "pyflakes' undefined-name findings for one module, as 'file:line: message'."
    found = checker.Checker(ast.parse(path.read_text(), str(path)), str(path)).messages
    return [f'{path.name}:{m.lineno}: {m.message % m.message_args}' for m in found if isinstance(m, UNDEFINED)]


def test_the_exported_modules_have_no_undefined_names():
    bad = [f for p in sorted(LIB.glob('*.py')) for f in undefined_names(p)]
    assert not bad, '\n'.join(bad)


def test_the_check_finds_a_name_only_a_notebook_cell_defined(tmp_path):
    (tmp_path/'m.py').write_text('def sample(n):\n    return check_count(n)\n')   # the bug this guards against
    assert undefined_names(tmp_path/'m.py') == ["m.py:2: undefined name 'check_count'"]
