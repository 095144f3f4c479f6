n = int(input())
total = 0
# Сложи все числа от 1 до n
print(total)
