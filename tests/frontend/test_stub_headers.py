"""xapp's hermetic stub headers: real-looking C++ and C parse against them with no clang error."""
from __future__ import annotations

import pytest

from xapp.frontend.headers import stub_header_names
from xapp.frontend.options import ParseOptions
from xapp.frontend.parse import parse

CXX_HEADERS = ("vector", "string", "map", "unordered_map", "set", "unordered_set", "memory", "algorithm", "numeric",
               "cmath", "cstdio", "cstdlib", "cstring", "cstdint", "chrono", "random", "iostream", "fstream",
               "sstream", "iomanip", "limits", "utility", "functional", "array", "complex", "thread", "atomic",
               "mutex", "stdexcept", "exception", "typeinfo", "tuple", "queue", "stack", "list", "deque", "new",
               "omp.h")

CXX_PROGRAM = """
struct Params { int n; float alpha; };
template <typename T> T square(T x) { return x * x; }

int main(int argc, char **argv) {
  const int n = argc > 1 ? atoi(argv[1]) : 1024;
  std::vector<float> a(n), b(n, 1.0f);
  std::map<std::string, int> counts;
  std::unordered_map<int, double> weights;
  std::set<int> seen;
  counts["x"] += 1;
  weights[3] = 2.0;
  seen.insert(4);
  for (auto &kv : counts) printf("%s %d\\n", kv.first.c_str(), kv.second);
  for (std::map<std::string, int>::iterator it = counts.begin(); it != counts.end(); ++it) it->second++;
  if (seen.find(4) != seen.end() && weights.count(3)) weights.erase(3);
  std::iota(a.begin(), a.end(), 0.0f);
  std::shuffle(a.begin(), a.end(), std::mt19937(42));
  std::sort(a.begin(), a.end(), std::greater<float>());
  auto m = std::max_element(a.begin(), a.end());
  a.push_back(1.f);
  a.resize(n);
  float *raw = a.data();
  std::unique_ptr<double[]> buf(new double[n]);
  auto shared = std::make_shared<Params>();
  shared->n = n;
  std::array<int, 4> arr = {1, 2, 3, 4};
  std::complex<double> z(1.0, 2.0);
  std::atomic<int> hits(0);
  hits++;
  std::mutex mu;
  { std::lock_guard<std::mutex> g(mu); }
  auto t0 = std::chrono::steady_clock::now();
  float sum = 0.f;
  #pragma omp parallel for reduction(+:sum)
  for (int i = 0; i < n; i++) { b[i] = std::sqrt(raw[i]) + square(a[i]); sum += b[i]; }
  auto t1 = std::chrono::steady_clock::now();
  double ms = std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count() * 1e-3;
  std::cout << "sum " << std::setprecision(3) << sum << " " << ms << " ms " << std::abs(z) << std::endl;
  std::stringstream ss; ss << n; std::string s = ss.str();
  std::ofstream out("x.txt"); out << s;
  if (n < 0) throw std::runtime_error("bad n");
  std::tuple<int, float> tp = std::make_tuple(1, 2.f);
  std::queue<int> q; q.push(1);
  float lim = std::numeric_limits<float>::max();
  std::function<float(float)> f = [](float x) { return x + 1; };
  std::vector<float> r(a.rbegin(), a.rend());
  std::thread th([] {}); th.join();
  printf("%f %f %d %f %d\\n", *m, lim, arr[0], f(1.f), std::get<0>(tp) + (int)buf[0] + omp_get_max_threads());
  return std::accumulate(b.begin(), b.end(), 0.0) > 0 ? 0 : 1;
}
"""

# One snippet per C header: what real C programs use from it.
C_SNIPPETS = {
    "setjmp.h": "jmp_buf env; int f(void) { if (setjmp(env)) return 1; longjmp(env, 2); }",
    "sys/time.h": "double now(void) { struct timeval tv; gettimeofday(&tv, NULL); return tv.tv_sec + tv.tv_usec * 1e-6; }",
    "getopt.h": ("static struct option opts[] = {{\"size\", required_argument, 0, 's'}, {0, 0, 0, 0}};\n"
                 "int f(int c, char **v) { int i; return getopt_long(c, v, \"s:\", opts, &i) + (optarg != 0); }"),
    "sys/stat.h": "long size(const char *p) { struct stat st; if (stat(p, &st)) return -1; return S_ISDIR(st.st_mode) ? 0 : st.st_size; }",
    "fcntl.h": "int f(const char *p) { return open(p, O_RDONLY | O_CREAT, 0644); }",
    "signal.h": "volatile sig_atomic_t stop; void on(int s) { stop = s; } void f(void) { signal(SIGINT, on); }",
    "pthread.h": ("pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; void *work(void *a) { pthread_mutex_lock(&mu); "
                  "pthread_mutex_unlock(&mu); return a; }\nvoid f(void) { pthread_t t; pthread_create(&t, NULL, work, NULL); "
                  "pthread_join(t, NULL); }"),
    "complex.h": "double f(double complex z) { double complex w = cexp(z * I); return cabs(w) + creal(conj(z)); }",
    "sys/resource.h": "long f(void) { struct rusage u; getrusage(RUSAGE_SELF, &u); return u.ru_maxrss + u.ru_utime.tv_sec; }",
    "sys/mman.h": "void *f(size_t n) { void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); return p == MAP_FAILED ? NULL : p; }",
    "dirent.h": "int f(const char *p) { DIR *d = opendir(p); struct dirent *e; int n = 0; while ((e = readdir(d))) n += e->d_name[0] != '.'; closedir(d); return n; }",
    "libgen.h": "char *f(char *p) { return basename(p); }",
    "strings.h": "int f(const char *a) { return strcasecmp(a, \"x\"); }",
    "sys/times.h": "long f(void) { struct tms t; times(&t); return t.tms_utime; }",
    "sys/timeb.h": "long f(void) { struct timeb t; ftime(&t); return t.millitm; }",
    "malloc.h": "void *f(void) { return memalign(64, 1024); }",
    "sched.h": "int f(void) { return sched_yield(); }",
    "fenv.h": "int f(void) { feclearexcept(FE_ALL_EXCEPT); return fetestexcept(FE_OVERFLOW); }",
    "unistd.h": "int f(int c, char **v) { return getopt(c, v, \"n:\") + (optarg != 0) + (int)getpid(); }",
}


def _errors(text: str, name: str, untrusted: bool = True):
    unit = parse(text, name, ParseOptions(untrusted=untrusted))
    d = unit.diagnostics
    return d.counts.get("error", 0) + d.counts.get("fatal", 0), d.messages, d.stubbed_includes


@pytest.mark.parametrize("untrusted", [True, False])
def test_real_looking_cpp_parses_with_no_error(untrusted):
    text = "".join(f"#include <{h}>\n" for h in CXX_HEADERS) + CXX_PROGRAM
    errors, messages, stubbed = _errors(text, "main.cpp", untrusted)
    assert (errors, messages, stubbed) == (0, [], [])


@pytest.mark.parametrize("header", sorted(C_SNIPPETS))
def test_c_stub_header_serves_real_use(header):
    text = f"#include <stddef.h>\n#include <stdio.h>\n#include <{header}>\n{C_SNIPPETS[header]}\n"
    assert _errors(text, "prog.c") == (0, [], [])


@pytest.mark.parametrize("language", ["c", "c++"])
def test_every_stub_header_together_has_no_clash(language):
    cxx_only = {h for h in stub_header_names() if "." not in h or h.startswith("__xapp")}
    names = sorted(h for h in stub_header_names() if language == "c++" or h not in cxx_only)
    text = "".join(f"#include <{h}>\n" for h in names) + "int main(void) { return 0; }\n"
    assert _errors(text, "all.cpp" if language == "c++" else "all.c") == (0, [], [])


def test_cpp_headers_named_by_the_issue_all_exist():
    assert set(CXX_HEADERS) <= stub_header_names()


@pytest.mark.parametrize("header", sorted(h for h in stub_header_names() if not h.startswith("__xapp")))
def test_each_stub_header_alone_parses_as_cpp(header):
    """Each header stands alone in C++ (an include order that only works after another header is a bug)."""
    assert _errors(f"#include <{header}>\nint main() {{ return 0; }}\n", "one.cpp") == (0, [], [])
