// A peer written against Boost.Interprocess, a library nobody here wrote, to prove that its
// named_semaphore "jobs" is namedsem's "jobs". Built by the tests with g++ at test time.
// Same commands and output as src/test/c/peer.c, except that there is no "value" (Boost
// offers no way to read the count). NAME is a Boost name, without the leading slash.
#include <boost/interprocess/sync/named_semaphore.hpp>
#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

using namespace boost::interprocess;

int main(int argc, char **argv) {
    if (argc < 3) {
        std::cerr << "usage: boost_peer create|wait|post|try|unlink NAME [ARG]\n";
        return 1;
    }
    std::string cmd = argv[1], name = argv[2];
    std::cout << std::unitbuf;
    try {
        if (cmd == "unlink") {
            if (!named_semaphore::remove(name.c_str())) { std::cerr << "boost_peer: remove failed\n"; return 1; }
            std::cout << "unlinked\n";
            return 0;
        }
        if (cmd == "create") {
            named_semaphore sem(create_only, name.c_str(), static_cast<unsigned>(std::atoi(argv[3])),
                                permissions(0600));
            std::cout << "created\n";
            return 0;
        }
        named_semaphore sem(open_only, name.c_str());
        if (cmd == "wait") {
            std::cout << "waiting\n";
            auto deadline = boost::posix_time::microsec_clock::universal_time()
                            + boost::posix_time::milliseconds(std::atol(argv[3]));
            if (sem.timed_wait(deadline)) { std::cout << "acquired\n"; return 0; }
            std::cout << "timeout\n";
            return 2;
        }
        if (cmd == "post") {
            int n = argc > 3 ? std::atoi(argv[3]) : 1;
            for (int i = 0; i < n; i++) sem.post();
            std::cout << "posted\n";
            return 0;
        }
        if (cmd == "try") {
            std::string line;
            std::cout << "ready\n";
            if (!std::getline(std::cin, line)) return 1;
            if (sem.try_wait()) {
                std::cout << "acquired\n";
                std::this_thread::sleep_for(std::chrono::milliseconds(std::atol(argv[3])));
                sem.post();
                std::cout << "released\n";
                return 0;
            }
            std::cout << "timeout\n";
            return 2;
        }
        std::cerr << "boost_peer: unknown command " << cmd << "\n";
        return 1;
    } catch (const interprocess_exception &e) {
        std::cerr << "boost_peer: " << cmd << "(" << name << "): " << e.what() << "\n";
        return 1;
    }
}
