// solver/cli/files.cpp -- atomic output files and whole-file input (files.hpp).
#include "cli/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "cli/errors.hpp"
#include "cli/output.hpp"

namespace attnrmt::cli {

namespace {
// The temporary file being written, for the signal handler (async-signal-safe:
// a fixed buffer, unlink(2) and raise(2) only).
char g_temp_path[4096];
volatile std::sig_atomic_t g_temp_active = 0;

extern "C" void remove_temp_and_die(int sig) {
  if (g_temp_active) ::unlink(g_temp_path);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_temp_cleanup() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXFSZ}) {
    struct sigaction sa {};
    sa.sa_handler = remove_temp_and_die;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    struct sigaction old {};
    ::sigaction(sig, nullptr, &old);
    if (old.sa_handler == SIG_IGN) continue;  // e.g. nohup: keep ignoring
    ::sigaction(sig, &sa, nullptr);
  }
}

const char* const kTempTag = ".attnrmt-tmp-";

// The file a write to `path` replaces: symlinks followed (also a dangling one,
// whose target is created).
std::string resolve_target(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p(path);
  for (int hops = 0; hops < 40; ++hops) {
    if (!fs::is_symlink(fs::symlink_status(p, ec))) return p.string();
    fs::path next = fs::read_symlink(p, ec);
    if (ec) return p.string();
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  throw UsageError("--out: too many levels of symbolic links at '" + excerpt(path) + "'");
}

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_name(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Removes temporaries of `target` left by runs that no longer exist.
void remove_stale_temps(const std::string& target) {
  namespace fs = std::filesystem;
  const std::string prefix = "." + base_name(target) + kTempTag;
  std::error_code ec;
  for (fs::directory_iterator it(directory_of(target), ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string pid_text = name.substr(prefix.size());
    if (pid_text.empty() || pid_text.size() > 9 ||
        pid_text.find_first_not_of("0123456789") != std::string::npos)
      continue;
    pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid == ::getpid()) continue;
    if (::kill(pid, 0) != 0 && errno == ESRCH) fs::remove(it->path(), ec);
  }
}

struct FileId {
  dev_t dev;
  ino_t ino;
};

bool file_id(const std::string& path, FileId& id) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  id = {st.st_dev, st.st_ino};
  return true;
}
}  // namespace

void check_output_target(const std::string& path, const std::vector<std::string>& inputs,
                         const std::string& option) {
  if (path == "-") return;
  if (path.empty()) throw UsageError(option + ": empty file name");
  const std::string target = resolve_target(path);
  struct stat st;
  if (::stat(target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      throw UsageError(option + ": '" + excerpt(path) + "' is a directory (give a file name)");
    if (!S_ISREG(st.st_mode))
      throw UsageError(option + ": '" + excerpt(path) +
                       "' is not a regular file (a device, FIFO or socket); refusing to replace "
                       "it (use '-' for standard output)");
    for (std::string in : inputs) {
      if (in.compare(0, 5, "file:") == 0) in = in.substr(5);
      FileId a{}, b{};
      if (in != "-" && file_id(in, a) && file_id(target, b) && a.dev == b.dev && a.ino == b.ino)
        throw UsageError(option + ": '" + excerpt(path) +
                         "' is also an input of this run; refusing to overwrite it (choose another "
                         "file name)");
    }
  } else if (errno != ENOENT) {
    throw UsageError(option + ": cannot use '" + excerpt(path) + "' (" + std::strerror(errno) +
                     ")");
  }
  const std::string dir = directory_of(target);
  struct stat dst;
  if (::stat(dir.c_str(), &dst) != 0 || !S_ISDIR(dst.st_mode))
    throw UsageError(option + ": the directory '" + excerpt(dir) + "' of '" + excerpt(path) +
                     "' does not exist");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw UsageError(option + ": the directory '" + excerpt(dir) + "' of '" + excerpt(path) +
                     "' is not writable");
}

void write_file_atomically(const std::string& path, const std::string& contents) {
  if (path == "-") {
    write_stdout(contents);
    return;
  }
  check_output_target(path, {});
  const std::string target = resolve_target(path);
  remove_stale_temps(target);
  struct stat st;
  const bool existed = ::stat(target.c_str(), &st) == 0;
  const std::string tmp =
      directory_of(target) + "/." + base_name(target) + kTempTag + std::to_string(::getpid());
  if (tmp.size() >= sizeof g_temp_path)
    throw UsageError("--out: file name too long ('" + excerpt(path) + "')");
  install_temp_cleanup();
  std::memcpy(g_temp_path, tmp.c_str(), tmp.size() + 1);
  g_temp_active = 1;
  auto fail = [&](const std::string& what) {
    std::string reason = std::strerror(errno);
    ::unlink(tmp.c_str());
    g_temp_active = 0;
    throw std::runtime_error("cannot write '" + excerpt(path) + "': " + what + " (" + reason + ")");
  };
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    g_temp_active = 0;
    throw UsageError("--out: cannot create a file next to '" + excerpt(path) + "' (" +
                     std::strerror(errno) + ")");
  }
  if (existed) {
    // Keep the replaced file's permission bits (and owner, when allowed).
    if (::fchown(fd, st.st_uid, st.st_gid) != 0) { /* not permitted: keep ours */
    }
    ::fchmod(fd, st.st_mode & 07777);
  }
  std::size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      fail("write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 && errno != EINVAL) {
    ::close(fd);
    fail("fsync failed");
  }
  if (::close(fd) != 0) fail("close failed");
  if (std::rename(tmp.c_str(), target.c_str()) != 0) fail("rename failed");
  g_temp_active = 0;
}

std::string read_input_file(const std::string& path, const std::string& what, std::size_t limit) {
  std::FILE* f = nullptr;
  bool is_stdin = path == "-";
  if (is_stdin) {
    f = stdin;
  } else {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      throw UsageError(what + ": '" + excerpt(path) + "' is a directory, not a file");
    f = std::fopen(path.c_str(), "rb");
    if (!f)
      throw UsageError(what + ": cannot open '" + excerpt(path) + "' for reading (" +
                       std::strerror(errno) + ")");
  }
  std::string text;
  char buf[65536];
  bool too_big = false, error = false;
  for (;;) {
    std::size_t n = std::fread(buf, 1, sizeof buf, f);
    if (n == 0) {
      error = std::ferror(f) != 0;
      break;
    }
    if (text.size() + n > limit) {
      too_big = true;
      break;
    }
    text.append(buf, n);
  }
  if (!is_stdin) std::fclose(f);
  const std::string name = is_stdin ? std::string("standard input") : "'" + excerpt(path) + "'";
  if (too_big)
    throw UsageError(what + ": " + name + " is larger than the limit of " +
                     std::to_string(limit >> 20 ? limit >> 20 : limit) +
                     (limit >> 20 ? " MiB" : " bytes"));
  if (error) throw UsageError(what + ": cannot read " + name);
  return text;
}

}  // namespace attnrmt::cli
