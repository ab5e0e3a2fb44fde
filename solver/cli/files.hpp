// solver/cli/files.hpp -- the files a run reads and writes: output written
// atomically (never a partial file), the output target checked before any
// work, inputs read whole within a size limit.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace attnrmt::cli {

/// Writes text to `path` atomically: a temporary file `.NAME.attnrmt-tmp-PID`
/// in the target's directory, then rename(2). A symlink is written through (its
/// target is replaced), an existing file keeps its permission bits, a
/// non-regular target (device, FIFO, socket, directory) is refused. SIGINT,
/// SIGTERM, SIGHUP, SIGQUIT, SIGPIPE and SIGXFSZ remove the temporary before
/// the process dies; temporaries left by a killed run (SIGKILL) are recognised by
/// their name and removed by the next write to the same target.
/// "-" writes to stdout.
void write_file_atomically(const std::string& path, const std::string& contents);

/// Checks, before any work, that `path` can be written: its directory exists
/// and is writable, it is not a directory or other non-regular file, and it is
/// not the same file as any of `inputs` (names of files the run reads; a
/// "file:" prefix is stripped). "-" (stdout) always passes. Throws UsageError.
void check_output_target(const std::string& path, const std::vector<std::string>& inputs,
                         const std::string& option = "--out");

/// Largest input file read whole (CSV for check, tables for validate): 64 MiB.
constexpr std::size_t kMaxInputBytes = std::size_t(64) << 20;

/// Reads a whole file ("-": stdin) of at most `limit` bytes; larger inputs
/// (including endless ones such as /dev/zero) and directories are refused
/// with a UsageError naming `what` and the limit.
std::string read_input_file(const std::string& path, const std::string& what,
                            std::size_t limit = kMaxInputBytes);

}  // namespace attnrmt::cli
