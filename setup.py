"""Build the attnrmt extension with the project's CMake (pyproject.toml, docs/python.md).

Environment: ATTNRMT_CMAKE_BUILD_DIR (default build/pip) is the CMake build
directory; CMAKE_BUILD_PARALLEL_LEVEL (default 2) the build jobs.
"""

import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE_DIR = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("ATTNRMT_CMAKE_BUILD_DIR", os.path.join(SOURCE_DIR, "build", "pip"))
        # An existing build directory keeps its configuration (e.g. the
        # project's build/ with tests on); a new one is configured for the module.
        fresh = not os.path.exists(os.path.join(build_dir, "CMakeCache.txt"))
        configure = [
            "cmake", "-S", SOURCE_DIR, "-B", build_dir,
            "-DCMAKE_BUILD_TYPE=Release",
            "-DATTNRMT_BUILD_TESTS=OFF",
            "-DATTNRMT_BUILD_BENCH=OFF",
            # The real interpreter, not a venv link that may be deleted later.
            f"-DPYTHON_EXECUTABLE={os.path.realpath(sys.executable)}",
        ]
        if shutil.which("ccache"):
            configure.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
        if fresh:
            subprocess.check_call(configure)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "attnrmt_python", "-j", jobs])
        built = glob.glob(os.path.join(build_dir, "python", "attnrmt", "_core*.so"))
        if not built:
            raise RuntimeError(f"attnrmt: the CMake build produced no _core*.so in {build_dir}")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built[0], target)


setup(ext_modules=[Extension("attnrmt._core", sources=[])], cmdclass={"build_ext": CMakeBuild})
