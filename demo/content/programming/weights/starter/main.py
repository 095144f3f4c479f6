n, k = map(int, input().split())
a = list(map(int, input().split()))
pairs = 0
# Посчитай пары гирь общим весом k
print(pairs)
