"""Run a Pulumi program under mocks, reading its stack config as the engine would."""

from __future__ import annotations

import asyncio
import contextvars
import os
import runpy
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from bascule.errors import BadInputError, UsageError
from bascule.files import shown_path
from bascule.sdk.collector import no_cyclic_gc
from bascule.sdk.synth import install_mocks, run_in_stack, sdk_shortcuts
from bascule.snapshot.model import Snapshot
from bascule.synth.cache import SynthCache
from bascule.synth.config import (
    PROJECT_FILES,
    Project,
    is_stack_file_name,
    load_stack_config,
    read_project,
    stack_names,
)
from bascule.synth.defaults import StackProviderConfig
from bascule.synth.parallel import parallel_enabled, synthesize_in_parallel

# Environment channels the SDK would read config from: hidden while the program runs so the
# stack file is the only source.
_BASCULE_DIR = Path(__file__).resolve().parents[1]
CONFIG_ENV = ("PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS")


class StackRef(NamedTuple):
    """A stack as the command line named it: its project and its settings file."""

    directory: Path  # the Pulumi project: Pulumi.yaml and the program
    name: str
    file: Path  # Pulumi.<name>.yaml, in the project unless given as a path elsewhere


def resolve_stack(stack: str, project_dir: Path | None = None) -> StackRef:
    """A stack name, or a path to `Pulumi.<name>.yaml`. A path names the settings file
    itself; its project is `project_dir` when given (as `pulumi --config-file` does with
    `--cwd`), else the file's own directory."""
    path = Path(stack)
    is_path = "/" in stack or os.sep in stack
    if path.name in PROJECT_FILES:
        directory = (project_dir or path.parent).resolve()
        raise UsageError(
            f"{stack}: the project file, not a stack: name a stack "
            f"({_stacks_hint(directory)}) or its Pulumi.<stack>.yaml"
        )
    if is_stack_file_name(path.name):
        name = path.name[len("Pulumi.") :].rsplit(".", 1)[0]
        if not is_path:  # a bare file name: in the project
            directory = (project_dir or Path.cwd()).resolve()
            return StackRef(directory, name, directory / path.name)
        return StackRef((project_dir or path.parent).resolve(), name, path.resolve())
    if is_path:
        raise UsageError(f"{stack}: neither a stack name nor a Pulumi.<stack>.yaml file")
    directory = (project_dir or Path.cwd()).resolve()
    return StackRef(directory, stack, directory / f"Pulumi.{stack}.yaml")


def _stacks_hint(directory: Path) -> str:
    names = stack_names(directory)
    return f"stacks: {', '.join(names)}" if names else "no stack file there"


def synthesize(
    project_dir: Path | str,
    stack: str,
    *,
    on_resource: Callable[[int], None] | None = None,
    cache: SynthCache | None = None,
    parallel: bool | None = None,
    stack_file: Path | None = None,
) -> Snapshot:
    """Run `<project_dir>/__main__.py` for `stack` under mocks and return what it registered.

    Its settings come from `stack_file` (default `<project_dir>/Pulumi.<stack>.yaml`).

    With a `cache`, an unchanged project gives back the previous result. The stack file is
    read and its secrets decrypted either way, so bad config fails the same with or without.
    `parallel` runs one process per estate (see `bascule.synth.parallel`); by default, when
    there are two cores and BASCULE_SYNTH_PARALLEL is not 0.
    """
    project_dir = Path(project_dir).resolve()
    project = read_project(project_dir)
    config, secret_keys = load_stack_config(project, stack, stack_file=stack_file)
    main_py = project_dir / "__main__.py"
    if not main_py.is_file():
        raise BadInputError(f"{main_py}: no such file (the Pulumi program)")
    # Named by its settings file, relative to the working directory: never an absolute path.
    source = shown_path(stack_file or project_dir / f"Pulumi.{stack}.yaml")
    if cache is not None:
        cached = cache.lookup(source, project.name)
        if cached is not None:
            return cached
    if parallel is None:
        parallel = parallel_enabled()
    if parallel:
        snapshot = synthesize_in_parallel(
            project,
            stack,
            config,
            secret_keys,
            lambda count: contextvars.copy_context().run(
                run_program, project, stack, config, secret_keys, count
            ),
            on_resource,
        )
    else:
        # A fresh context: the SDK keeps its settings, config and root resource in
        # contextvars, so each run starts clean and leaves nothing behind for the next one.
        ctx = contextvars.copy_context()
        snapshot = ctx.run(run_program, project, stack, config, secret_keys, on_resource)
    snapshot = replace(snapshot, source=source)
    if cache is not None:
        cache.store(snapshot)
    return snapshot


def run_program(
    project: Project,
    stack: str,
    config: dict[str, str],
    secret_keys: list[str],
    on_resource: Callable[[int], None] | None = None,
) -> Snapshot:
    """The program under mocks, in this process (call it in a fresh contextvars context)."""
    with no_cyclic_gc():
        return _run_program(project, stack, config, secret_keys, on_resource)


def _run_program(
    project: Project,
    stack: str,
    config: dict[str, str],
    secret_keys: list[str],
    on_resource: Callable[[int], None] | None,
) -> Snapshot:
    # Imported on use (start-up time): pulumi, and the mocks and monitor built on it, only
    # when a program runs; a cache hit loads none of them.
    import pulumi

    from bascule.synth.mocks import SynthMocks
    from bascule.synth.monitor import RecordingMonitor

    label = f"Pulumi.{stack}.yaml"
    providers = StackProviderConfig(config, frozenset(secret_keys), label)
    monitor = RecordingMonitor(SynthMocks(), on_resource, providers)
    pulumi.runtime.set_all_config(config, secret_keys)
    install_mocks(monitor.mocks, monitor, project.name, stack, project.directory)

    main_py = project.directory / "__main__.py"
    with _program_environment(project.directory), sdk_shortcuts():
        previous_loop = _current_loop()
        loop = asyncio.new_event_loop()
        # Failed registrations leave futures nobody awaits: their "never retrieved" noise
        # would bury the one-line error, which already reports the first failure.
        loop.set_exception_handler(lambda _loop, _context: None)
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(run_in_stack(lambda: _run_main(main_py)))
        except (pulumi.RunError, ValueError) as exc:
            # Config errors (pulumi.ConfigMissingError, the program's own validation).
            raise BadInputError(f"{label}: {_one_line(exc)}") from None
        except BadInputError:
            raise
        except Exception as exc:
            raise BadInputError(
                f"{main_py.name}: program failed: {type(exc).__name__}: {_one_line(exc)}"
                f"{_where(exc, project.directory)}"
            ) from None
        finally:
            _close(loop)
            # Callers (tests, notebooks) may run their own Pulumi mocks on the old loop next.
            asyncio.set_event_loop(previous_loop)
    return Snapshot(
        resources=tuple(monitor.snapshot_resources()),
        source=f"{project.directory}:{stack}",
        kind="synth",
        project=project.name,
        stack=stack,
    )


def _drop_aliases(args: Any) -> Any:
    """Aliases never reach a snapshot, yet the SDK turns each one into several Outputs in the
    resource constructor; azure-native resources carry dozens (one per API version). Dropping
    them before that (a legacy transformation runs first) halves the synth time."""
    if not args.opts.aliases:
        return None
    from pulumi import ResourceOptions, ResourceTransformationResult  # on use, as above

    opts = ResourceOptions.merge(args.opts, None)
    opts.aliases = None
    return ResourceTransformationResult(args.props, opts)


def _run_main(main_py: Path) -> None:
    from pulumi.runtime import register_stack_transformation  # on use, as in `_run_program`

    register_stack_transformation(_drop_aliases)
    runpy.run_path(str(main_py), run_name="__main__")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _where(exc: BaseException, project_dir: Path) -> str:
    """The innermost frame inside the project, so a program bug is easy to find."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if (
            path.is_relative_to(project_dir)
            and not path.is_relative_to(_BASCULE_DIR)
            and not path.resolve().is_relative_to(Path(sys.prefix).resolve())
        ):
            return f" ({path.relative_to(project_dir)}:{frame.lineno})"
    return ""


def _current_loop() -> asyncio.AbstractEventLoop | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:
            return None


def _close(loop: asyncio.AbstractEventLoop) -> None:
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
    asyncio.set_event_loop(None)
    loop.close()


@contextmanager
def _program_environment(project_dir: Path) -> Iterator[None]:
    """cwd, sys.path and env as `pulumi up` would set them; everything restored after."""
    old_cwd = os.getcwd()
    old_path = list(sys.path)
    old_modules = set(sys.modules)
    old_env = {k: os.environ.pop(k) for k in CONFIG_ENV if k in os.environ}
    sys.path.insert(0, str(project_dir))
    os.chdir(project_dir)
    try:
        yield
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path
        os.environ.update(old_env)
        # Forget the program's own modules: another project may use the same package names.
        # The project's .venv sits inside project_dir: its packages must stay loaded.
        installed = Path(sys.prefix).resolve()
        for name in set(sys.modules) - old_modules:
            file = getattr(sys.modules[name], "__file__", None) or ""
            if not file:
                continue
            path = Path(file).resolve()
            if path.is_relative_to(project_dir) and not path.is_relative_to(installed):
                _forget(name)


def _forget(name: str) -> None:
    """Drop a module from sys.modules and from its parent package, if that stays loaded: an
    import finds a submodule as the parent's attribute first, so a leftover attribute would
    hand the next run the old module (whose classes Pulumi can no longer resolve)."""
    module = sys.modules.pop(name)
    parent_name, _, child = name.rpartition(".")
    parent = sys.modules.get(parent_name)
    if parent is not None and getattr(parent, child, None) is module:
        delattr(parent, child)
