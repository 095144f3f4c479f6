#include <iostream>
#include <vector>

int main() {
    int n;
    long long k;
    std::cin >> n >> k;
    std::vector<long long> a(n);
    for (auto &x : a) std::cin >> x;
    long long pairs = 0;
    // Посчитайте пары гирь общим весом k
    std::cout << pairs << "\n";
}
